//! The course: lessons (prose in steps, each step's lab), quizzes and challenges graded by
//! running the core, and the learner's progress kept in the browser.
pub mod challenge;
pub mod guide;
pub mod lesson;
pub mod measure;
pub mod progress;
pub mod quiz;
mod read;
pub mod report;

pub use lesson::{catalogue, catalogue_errors, find, open, parse, prepare_next, Lesson};
