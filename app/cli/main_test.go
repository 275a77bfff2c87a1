package cli

import (
	"fmt"
	"os"
	"testing"
	"time"
)

// childEnv makes the test binary act as labelqa: with it set, TestMain runs
// the command line in os.Args[1:] through Run and exits with its status, so
// tests can start the CLI as a subprocess (signals, exit codes) without
// building the Fyne binary.
const childEnv = "LABELQA_CLI_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		// test-hang stands for a command that does not stop when
		// cancelled: it says it is ready, then ignores the context.
		commands = append(commands, command{name: "test-hang", run: func(e *env, args []string) int {
			fmt.Fprintln(e.stdout, "ready")
			time.Sleep(time.Minute)
			return ExitOK
		}})
		os.Exit(Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
