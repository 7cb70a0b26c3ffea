//! The review window's saves, as fast as they go, until killed: for `scripts/kill-trial.sh`.
//! Opens a report as the window does (`app::review::Review`) and, over and over, confirms a
//! cell, writes a note, approves (a history copy and the record) and reopens — every step saved
//! the way the window saves it.
//!
//! ```sh
//! cargo run --release --example save_loop -- REPORT
//! ```

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a developer's tool that fails loudly"
)]

use nianbao::app::review::{ApproveOutcome, Review};
use nianbao::record::Action;

fn main() {
    let path = std::env::args().nth(1).expect("usage: save_loop REPORT");
    let mut review = Review::open(std::path::Path::new(&path), "张三").unwrap();
    let cells: Vec<_> = review.report.cells.keys().copied().collect();
    for round in 0_u64.. {
        if review.is_approved() {
            review.reopen("张三");
        }
        let cell = cells[usize::try_from(round).unwrap_or(0) % cells.len()];
        review.act(Action::Confirm(cell), "张三").unwrap();
        if review.undo("张三").unwrap() && round % 3 == 0 {
            review.redo("张三").unwrap();
        }
        match review.approve("张三") {
            ApproveOutcome::Approved | ApproveOutcome::Blocked(_) => {}
            ApproveOutcome::SaveFailed(e) => panic!("{e}"),
        }
        if let Some(e) = &review.save_error {
            panic!("{e}");
        }
    }
}
