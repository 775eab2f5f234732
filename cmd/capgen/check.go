package main

import "io"

func runCheck(args []string, stdout, stderr io.Writer) int {
	var in inputFlags
	fs := newFlagSet("check", "[FILE|DIR...]", stderr)
	in.register(fs)
	if fs.Parse(args) != nil {
		return 2
	}
	if _, ok := in.load(fs.Args(), stderr); !ok {
		return 1
	}
	return 0
}
