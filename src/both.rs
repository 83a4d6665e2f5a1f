//! Two pieces of work at once: the second on a scoped thread, where one can be had.

use std::sync::Mutex;

/// Runs `here` on this thread and `there` on a second one, and returns both results.
/// Where no thread can be had, `there` runs here after `here`: the results are the same
/// either way, so callers whose two pieces of work are independent stay deterministic. A
/// panic in `there` is passed on.
pub fn both<A, B>(here: impl FnOnce() -> A, there: impl FnOnce() -> B + Send) -> (A, B)
where
    B: Send,
{
    // Kept out of the thread until it starts, so that a failed spawn leaves it to run here.
    let waiting = Mutex::new(Some(there));
    let take = || waiting.lock().unwrap_or_else(|e| e.into_inner()).take();
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new()
            .spawn_scoped(scope, || take().map(|there| there()))
            .ok();
        let a = here();
        let b = thread
            .and_then(|thread| {
                thread
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e))
            })
            .or_else(|| take().map(|there| there()))
            .expect("`there` runs once: on the thread or here");
        (a, b)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_results_come_back_in_order() {
        let (a, b) = both(|| (0..1000u64).sum::<u64>(), || "there".to_string());
        assert_eq!((a, b.as_str()), (499_500, "there"));
    }

    #[test]
    #[should_panic(expected = "from there")]
    fn a_panic_there_is_passed_on() {
        both(|| 1, || -> u32 { panic!("from there") });
    }
}
