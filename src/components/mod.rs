//! Page-level components. Each gets its data by props and holds no simulation logic.
mod catalogue;
pub mod lab;
mod lesson_page;
mod not_found;
mod site_header;

pub use catalogue::Catalogue;
pub use lab::LabPage;
pub use lesson_page::LessonPage;
pub use not_found::NotFound;
pub use site_header::SiteHeader;
