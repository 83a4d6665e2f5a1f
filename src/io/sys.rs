//! The system calls vsmap makes itself, through rustix so that no `unsafe` is needed: the
//! host's name and whether a process lives (for lock files and temporary files left by
//! killed saves), and waiting on the terminal (for hangups crossterm does not see).

use std::io;
use std::os::fd::AsFd;
use std::time::Duration;

/// The name of this host, as lock files record it.
pub fn hostname() -> String {
    String::from_utf8_lossy(rustix::system::uname().nodename().to_bytes()).into_owned()
}

/// Whether a process of this host exists (it may belong to another user).
pub fn process_alive(pid: u32) -> bool {
    let Ok(raw) = i32::try_from(pid) else {
        return false;
    };
    // Signal 0 only asks whether the process exists; nothing is sent. Process 0 names the
    // caller's own process group, as kill(0, 0) does.
    let result = match rustix::process::Pid::from_raw(raw) {
        Some(pid) => rustix::process::test_kill_process(pid),
        None => rustix::process::test_kill_current_process_group(),
    };
    matches!(result, Ok(()) | Err(rustix::io::Errno::PERM)) && !is_zombie(pid)
}

/// Whether a process has ended but not been reaped (it still answers signal 0): its parent
/// is gone or busy, and its files and locks are already closed. Read from /proc where there
/// is one; elsewhere no process counts as a zombie.
fn is_zombie(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        // "pid (command) S ...": the state follows the last ')', as a command may hold one.
        stat.rsplit_once(')')
            .and_then(|(_, rest)| rest.trim_start().chars().next())
            .is_some_and(|state| state == 'Z' || state == 'X')
    })
}

/// What ended a wait on a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Woken {
    /// Input is waiting, or the wait ended for another reason (timeout, a signal).
    Awake,
    /// The terminal is gone: it hung up, or the descriptor is no longer valid.
    HungUp,
}

/// Sleeps until `fd` has input, hangs up, a signal arrives or `limit` passes.
pub fn wait_for_input(fd: impl AsFd, limit: Duration) -> io::Result<Woken> {
    use rustix::event::{PollFd, PollFlags, Timespec};
    let mut fds = [PollFd::new(&fd, PollFlags::IN)];
    // A limit too long for a timespec waits without one.
    let timeout = Timespec::try_from(limit).ok();
    match rustix::event::poll(&mut fds, timeout.as_ref()) {
        Ok(_) => {}
        Err(rustix::io::Errno::INTR) => return Ok(Woken::Awake),
        Err(error) => return Err(error.into()),
    }
    let gone = PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL;
    Ok(if fds[0].revents().intersects(gone) {
        Woken::HungUp
    } else {
        Woken::Awake
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_a_made_up_one_is_not() {
        assert!(process_alive(std::process::id()));
        assert!(!process_alive(0x7fff_fff0));
        assert!(!process_alive(u32::MAX), "beyond any pid");
        // A child that has ended but is not reaped yet is not alive.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        let start = std::time::Instant::now();
        while std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| !s.contains(") Z"))
            && start.elapsed() < Duration::from_secs(60)
        {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(!process_alive(pid), "a zombie is gone");
        child.wait().unwrap();
    }

    #[test]
    fn the_hostname_is_the_kernels() {
        let name = hostname();
        assert!(!name.is_empty());
        if let Ok(proc_name) = std::fs::read_to_string("/proc/sys/kernel/hostname") {
            assert_eq!(name, proc_name.trim_end());
        }
    }

    #[test]
    fn a_closed_pipe_wakes_as_hung_up_and_a_quiet_one_times_out() {
        let (reader, writer) = std::io::pipe().unwrap();
        assert_eq!(
            wait_for_input(&reader, Duration::from_millis(10)).unwrap(),
            Woken::Awake
        );
        drop(writer);
        assert_eq!(
            wait_for_input(&reader, Duration::from_millis(10)).unwrap(),
            Woken::HungUp
        );
    }
}
