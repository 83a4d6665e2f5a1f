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

/// Lets go of `value` on a thread of its own, where one can be had: freeing the millions
/// of pieces a big map's drawing is made of takes a while, and nothing waits for it. A
/// process that ends first ends that too; the system takes the memory back at once.
pub fn drop_elsewhere<T: Send + 'static>(value: T) {
    // Where no thread can be had, the work given to it, the value with it, is dropped here.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
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
    fn a_value_dropped_elsewhere_is_dropped() {
        // Says which thread dropped it.
        struct Tell(std::sync::mpsc::Sender<std::thread::ThreadId>);
        impl Drop for Tell {
            fn drop(&mut self) {
                let _ = self.0.send(std::thread::current().id());
            }
        }
        let (tx, rx) = std::sync::mpsc::channel();
        drop_elsewhere(Tell(tx));
        // A guard against waiting for ever, not a measure of time.
        let by = rx.recv_timeout(std::time::Duration::from_secs(300));
        assert!(by.is_ok(), "never dropped");
        assert_ne!(by.ok(), Some(std::thread::current().id()));
    }

    #[test]
    #[should_panic(expected = "from there")]
    fn a_panic_there_is_passed_on() {
        both(|| 1, || -> u32 { panic!("from there") });
    }
}
