//! The integration tests, as one test binary: the library, the command line and the window
//! driven as their users drive them. One binary rather than one per file, since each links the
//! whole program (the window and the OCR engine with it): one link instead of ten keeps a clean
//! test build within CI's time and disk, and the slow tests (OCR of a scan) run beside the rest
//! on every core instead of one binary after another.

mod checks;
mod cli;
mod common;
mod corpus;
mod export;
mod folder;
mod formats;
mod golden;
mod indicators;
mod properties;
mod records;
mod trust;
mod window;
