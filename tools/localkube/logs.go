package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"
)

// errOut is where localkube's own error messages go: the stderr the process was started with,
// even after quietLogs pointed file descriptor 2 at the log file.
var errOut = os.Stderr

// quietLogs sends everything written to stderr (klog, which kube-apiserver logs through, prints
// hundreds of lines at -v=0, plus Go panics) to DIR/localkube.log, appended across restarts so a
// failed restart can be read next to the first run. With --verbose stderr is left alone.
//
// Redirecting the descriptor instead of configuring klog is deliberate: kube-apiserver applies its
// own logging configuration when its command runs, after anything set here, and a panic's trace
// is written to fd 2 directly.
func quietLogs(dir string, verbose bool) error {
	if verbose {
		return nil
	}
	logFile, err := os.OpenFile(filepath.Join(dir, "localkube.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	saved, err := unix.Dup(int(os.Stderr.Fd()))
	if err != nil {
		return err
	}
	errOut = os.NewFile(uintptr(saved), "stderr")
	if err := unix.Dup2(int(logFile.Fd()), int(os.Stderr.Fd())); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "---- localkube started %s (pid %d) ----\n", time.Now().UTC().Format(time.RFC3339), os.Getpid())
	return nil
}
