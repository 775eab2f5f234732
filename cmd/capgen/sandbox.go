package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
)

// sandboxCommand is the separate program behind capgen sandbox. It lives in
// its own module so that the OAuth2 server library it is built on stays out
// of capgen and out of everything that imports generated code.
const sandboxCommand = "capgen-sandbox"

// runSandbox runs capgen-sandbox from PATH with the remaining arguments.
func runSandbox(args []string, stdout, stderr io.Writer) int {
	path, err := exec.LookPath(sandboxCommand)
	if err != nil {
		fmt.Fprintf(stderr, "capgen: %s is not installed: run go install "+
			"github.com/capgen/capgen/sandbox/cmd/%s@latest (in capgen's repository: "+
			"go run ./sandbox/cmd/%s)\n", sandboxCommand, sandboxCommand, sandboxCommand)
		return 1
	}
	cmd := exec.Command(path, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode()
		}
		fmt.Fprintf(stderr, "capgen: %v\n", err)
		return 1
	}
	return 0
}
