package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/capgen/capgen/internal/manifest"
	"github.com/capgen/capgen/internal/spec"
)

// defaultConfig is the consumer config in whose output directory diff -rev
// looks for the manifest when none is named.
const defaultConfig = "capgen.yaml"

// runDiff compares two manifests and prints the changes. It is a report,
// so it exits 0 whatever changed, unless -fail-on reconsent is given and
// a change makes existing connections authorize again.
func runDiff(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("diff", "OLD NEW | -rev REV [MANIFEST]", stderr)
	format := fs.String("format", "text", "output format: text or markdown")
	failOn := fs.String("fail-on", "",
		"exit 1 when a change has this effect; the only one is reconsent")
	rev := fs.String("rev", "", "compare MANIFEST as of this git revision with the working "+
		"tree (default MANIFEST: "+manifest.FileName+" in the output directory of ./"+
		defaultConfig+", or in . without one)")
	if fs.Parse(args) != nil {
		return 2
	}
	if !diffArgsValid(fs.NArg(), *rev, *format, *failOn, stderr) {
		fs.Usage()
		return 2
	}

	from, to, err := loadPair(fs.Args(), *rev, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "capgen: %v\n", err)
		return 1
	}
	d := manifest.Compare(from, to)
	if err := writeDiff(stdout, d, *format); err != nil {
		fmt.Fprintf(stderr, "capgen: %v\n", err)
		return 1
	}
	if *failOn == "reconsent" && d.Reconsent() {
		fmt.Fprintln(stderr, "capgen: existing connections must re-consent "+
			"(review the required scopes added above)")
		return 1
	}
	return 0
}

// diffArgsValid reports whether the arguments make sense together, and
// says why not.
func diffArgsValid(nargs int, rev, format, failOn string, stderr io.Writer) bool {
	switch {
	case format != "text" && format != "markdown":
		fmt.Fprintf(stderr, "capgen: diff: -format %s: want text or markdown\n",
			quote(format))
	case failOn != "" && failOn != "reconsent":
		fmt.Fprintf(stderr, "capgen: diff: -fail-on %s: want reconsent\n", quote(failOn))
	case strings.HasPrefix(rev, "-"):
		fmt.Fprintf(stderr, "capgen: diff: -rev %s: a revision cannot start with '-'\n",
			quote(rev))
	case rev == "" && nargs != 2:
		fmt.Fprintln(stderr, "capgen: diff: want two manifest files, or -rev REV")
	case rev != "" && nargs > 1:
		fmt.Fprintln(stderr, "capgen: diff: with -rev, want at most one manifest file")
	default:
		return true
	}
	return false
}

// loadPair reads the old and the new manifest: two files, or one file as
// of a git revision and as it is now.
func loadPair(files []string, rev string, stderr io.Writer) (from, to *manifest.Manifest,
	err error) {
	if rev == "" {
		if from, err = readManifest(files[0]); err != nil {
			return nil, nil, err
		}
		to, err = readManifest(files[1])
		return from, to, err
	}
	if len(files) == 0 {
		path, err := defaultManifest(stderr)
		if err != nil {
			return nil, nil, err
		}
		files = []string{path}
	}
	path := files[0]
	if to, err = readManifest(path); err != nil {
		return nil, nil, err
	}
	from, err = manifestAtRevision(rev, path)
	return from, to, err
}

// defaultManifest returns the manifest in the output directory of
// ./capgen.yaml, where capgen generate -config writes it, or the one in the
// current directory when there is no ./capgen.yaml.
func defaultManifest(stderr io.Writer) (string, error) {
	if _, err := os.Stat(defaultConfig); errors.Is(err, os.ErrNotExist) {
		return manifest.FileName, nil
	}
	cfg, _, diags := spec.LoadConfig(defaultConfig)
	printDiagnostics(diags, stderr)
	if cfg == nil {
		return "", fmt.Errorf("%s has errors: fix them, or name the manifest", defaultConfig)
	}
	return filepath.Join(cfg.Output, manifest.FileName), nil
}

func readManifest(path string) (*manifest.Manifest, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s: no such file (run capgen generate, or name the manifest)",
			path)
	}
	if err != nil {
		return nil, err
	}
	return decodeManifest(path, data)
}

func decodeManifest(name string, data []byte) (*manifest.Manifest, error) {
	m, err := manifest.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return m, nil
}

// manifestAtRevision reads the file at path as it was at revision rev of
// its git repository. A file absent at rev is an empty manifest, so that a
// first manifest shows everything as added.
func manifestAtRevision(rev, path string) (*manifest.Manifest, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, errors.New("-rev needs git, which is not installed or not on PATH")
	}
	dir := filepath.Dir(path)
	prefix, err := git(dir, "rev-parse", "--show-prefix")
	if err != nil {
		return nil, fmt.Errorf("%s is not in a git repository (-rev needs one): %v",
			path, err)
	}
	if _, err := git(dir, "rev-parse", "--verify", "--quiet", rev+"^{commit}"); err != nil {
		return nil, fmt.Errorf("-rev %s: no such revision in the repository of %s",
			rev, path)
	}
	object := rev + ":" + strings.TrimSpace(string(prefix)) + filepath.Base(path)
	if _, err := git(dir, "cat-file", "-e", object); err != nil {
		return &manifest.Manifest{Version: manifest.Version}, nil
	}
	data, err := git(dir, "show", object)
	if err != nil {
		return nil, fmt.Errorf("git show %s: %v", object, err)
	}
	return decodeManifest(object, data)
}

// git runs git in dir and returns its standard output; its error carries
// git's own message.
func git(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, errors.New(msg)
		}
		return nil, err
	}
	return stdout.Bytes(), nil
}

func writeDiff(w io.Writer, d manifest.Diff, format string) error {
	if format == "text" {
		_, err := io.WriteString(w, d.Text())
		return err
	}
	data, err := d.Markdown()
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}
