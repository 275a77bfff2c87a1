package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// child starts the test binary as labelqa with args.
func child(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	return cmd, &stdout, &stderr
}

// bigXLSX writes an XLSX batch of n judgments.
func bigXLSX(t *testing.T, path string, n int) {
	t.Helper()
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	sw.SetRow("A1", []any{"item_id", "annotator_id", "label"})
	for i := 2; i <= n+1; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i)
		if err := sw.SetRow(cell, []any{fmt.Sprintf("ad%d", i/3), fmt.Sprintf("ann%d", i%3), "approve"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// TestSIGTERMCancelsImport: SIGTERM (kill, systemd, a container stop)
// during an XLSX import used to end the process without a word. It now
// cancels like Ctrl-C: the import rolls back, the message says so, exit 1.
func TestSIGTERMCancelsImport(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 200,000-row XLSX")
	}
	dir := t.TempDir()
	proj := filepath.Join(dir, "p.lqa")
	xlsx := filepath.Join(dir, "big.xlsx")
	bigXLSX(t, xlsx, 200000)
	if code, _, stderr := run(t, "init", proj); code != 0 {
		t.Fatal(stderr)
	}
	cmd, stdout, stderr := child(t, "import", proj, xlsx)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The signal handler is in place before the project is opened: wait
	// for the open (SQLite's WAL file appears), then a little more so the
	// import is reading the workbook.
	if _, err := os.Stat(proj + "-wal"); err == nil {
		t.Fatal("the WAL file exists before the import: the wait below would not wait")
	}
	for start := time.Now(); time.Since(start) < 20*time.Second; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(proj + "-wal"); err == nil {
			break
		}
	}
	time.Sleep(300 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != ExitFail {
		if err == nil && strings.Contains(stdout.String(), "200000 rows") {
			t.Skip("the import finished before the signal arrived")
		}
		t.Fatalf("want exit 1 after SIGTERM, got %v\nstdout %s\nstderr %s", err, stdout, stderr)
	}
	if !strings.Contains(stderr.String(), "cancelled; the project is unchanged") {
		t.Fatalf("stderr %q", stderr)
	}
	code, out, _ := run(t, "metrics", proj, "--counts", "--json")
	if code != 0 || !strings.Contains(out, `"annotations": 0`) {
		t.Fatalf("a cancelled import changed the project: %s", out)
	}
	// The project's first import was interrupted: it has no labels, and
	// every report still works (metrics used to panic here).
	for _, args := range [][]string{{"metrics", proj}, {"metrics", proj, "--json"}, {"scorecard", proj, "--csv"}} {
		code, stdout, stderr := run(t, args...)
		noPanic(t, args, code, stdout, stderr)
		if code != 0 {
			t.Errorf("%v: exit %d %s", args, code, stderr)
		}
	}
}

// TestSecondSignalKills: after the first signal the command is asked to
// stop; if it does not, it says a second Ctrl+C quits, and a second signal
// ends the process at once.
func TestSecondSignalKills(t *testing.T) {
	cmd, stdout, _ := child(t, "test-hang")
	pr, pw, _ := os.Pipe()
	cmd.Stdout = pw
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	_ = stdout
	line, _ := bufio.NewReader(pr).ReadString('\n')
	if line != "ready\n" {
		t.Fatalf("child said %q", line)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	time.Sleep(stopHint + 700*time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			t.Fatalf("want the process killed by the second signal, got %v", err)
		}
		if ws, ok := exit.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
			t.Fatalf("want death by SIGINT, got %v", err)
		}
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		t.Fatal("a second signal did not end the process")
	}
	if !strings.Contains(stderr.String(), "press Ctrl+C again to quit at once") {
		t.Errorf("stderr %q", stderr.String())
	}
}

// TestOneSIGTERMEndsAHungCommand: `timeout 120 labelqa metrics ...` sends
// one SIGTERM and no second; a computation that does not check the context
// kept running for minutes. After stopForce the process ends itself, exit 1.
func TestOneSIGTERMEndsAHungCommand(t *testing.T) {
	cmd, _, _ := child(t, "test-hang")
	pr, pw, _ := os.Pipe()
	cmd.Stdout = pw
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if line, _ := bufio.NewReader(pr).ReadString('\n'); line != "ready\n" {
		t.Fatalf("child said %q", line)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != ExitFail {
			t.Fatalf("want exit 1, got %v", err)
		}
	case <-time.After(stopForce + 20*time.Second):
		cmd.Process.Kill()
		t.Fatal("one SIGTERM did not end the process")
	}
	if !strings.Contains(stderr.String(), "cancelled; the command did not stop in time") {
		t.Errorf("stderr %q", stderr.String())
	}
}
