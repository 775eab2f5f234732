// Command capgen compiles declarative provider specs into typed Go clients
// whose methods are reachable only through a handle for their capability.
//
// Usage:
//
//	capgen check [-capabilities FILE] [FILE|DIR...]
//	capgen check -config capgen.yaml
//	capgen generate [-check] [-o DIR] [-capabilities FILE] [FILE|DIR...]
//	capgen generate [-check] [-o DIR] -config capgen.yaml
//	capgen explain [-specs DIR] PROVIDER [CAPABILITY|OPERATION]
//	capgen diff [-format text|markdown] [-fail-on reconsent] OLD NEW
//	capgen diff [-format text|markdown] [-fail-on reconsent] -rev REV [MANIFEST]
//	capgen schema
//
// Without files, check and generate read the catalogue in specs/ and
// generate writes into generated/; with -config, generate writes a
// consumer's features, manifest and packages into the config's output
// directory. Success is silent unless -v is given.
package main

import (
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: capgen <command> [flags] [arguments]

commands:
  check     validate specs; prints file:line:col: message for every problem
  generate  write the Go packages of the specs (-check: report stale files instead)
  explain   show a provider's capabilities, scopes and operations
  diff      compare two scope manifests, or one with its version at a git revision
  import    draft a provider spec from an OpenAPI or Google Discovery description
  schema    print the JSON Schema of provider spec files
  sandbox   run a local OAuth2 server and provider simulator (needs capgen-sandbox)

Run capgen <command> -h for the flags of a command.
`

// run is the whole command line program; it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		io.WriteString(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "check":
		return runCheck(rest, stdout, stderr)
	case "generate":
		return runGenerate(rest, stdout, stderr)
	case "explain":
		return runExplain(rest, stdout, stderr)
	case "sandbox":
		return runSandbox(rest, stdout, stderr)
	case "diff":
		return runDiff(rest, stdout, stderr)
	case "import":
		return runImport(rest, stdout, stderr)
	case "schema":
		return runSchema(rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		io.WriteString(stdout, usage)
		return 0
	}
	io.WriteString(stderr, "capgen: unknown command "+quote(cmd)+"\n"+usage)
	return 2
}
