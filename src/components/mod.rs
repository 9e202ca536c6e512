//! Page-level components. Each gets its data by props and holds no simulation logic.
mod catalogue;
mod challenge_view;
mod check;
mod embed;
mod glossary;
pub mod lab;
mod lesson_page;
mod not_found;
mod question;
mod site_header;
mod summary;

pub use catalogue::Catalogue;
pub use check::CheckPage;
pub use embed::{Embed, EmbedProps};
pub use glossary::{Glossary, GLOSSARY};
pub use lab::LabPage;
pub use lesson_page::{score_line, LessonPage};
pub use not_found::{not_found, NotFoundProps};
pub use site_header::{site_header, SiteHeaderProps};
pub use summary::Summary;
