package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/capgen/capgen/internal/gonames"
	"github.com/capgen/capgen/internal/model"
)

func runExplain(args []string, stdout, stderr io.Writer) int {
	var in inputFlags
	fs := newFlagSet("explain", "PROVIDER [CAPABILITY|OPERATION]", stderr)
	in.register(fs)
	specs := fs.String("specs", defaultSpecs, "the catalogue directory")
	if fs.Parse(args) != nil {
		return 2
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		fs.Usage()
		return 2
	}
	cat, ok := in.load([]string{filepath.Clean(*specs)}, stderr)
	if !ok {
		return 1
	}
	p := findProvider(cat, fs.Arg(0))
	if p == nil {
		fmt.Fprintf(stderr, "capgen: no provider %q in %s (have: %s)\n", fs.Arg(0), *specs,
			strings.Join(providerNames(cat), ", "))
		return 1
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	defer w.Flush()
	if fs.NArg() == 1 {
		explainProvider(w, p)
		return 0
	}
	what := fs.Arg(1)
	if c, ok := p.Capability(what); ok {
		explainCapability(w, p, c)
		return 0
	}
	for _, op := range p.Operations {
		if op.Name == what {
			explainOperation(w, p, op)
			return 0
		}
	}
	fmt.Fprintf(stderr, "capgen: %s has no capability or operation %q\n", p.Name, what)
	return 1
}

func findProvider(cat *model.Catalog, name string) *model.Provider {
	for _, p := range cat.Providers {
		if p.Name == name {
			return p
		}
	}
	return nil
}

func providerNames(cat *model.Catalog) []string {
	var names []string
	for _, p := range cat.Providers {
		names = append(names, p.Name)
	}
	return names
}

func explainProvider(w io.Writer, p *model.Provider) {
	fmt.Fprintf(w, "%s (%s), from %s\n", p.Name, p.Title, p.Source)
	fmt.Fprintf(w, "%d scopes, %d capabilities, %d operations\n\n", len(p.Scopes),
		len(p.Capabilities), len(p.Operations))
	fmt.Fprintf(w, "capability\thandle\tsatisfied by\toperations\n")
	for _, c := range p.Capabilities {
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\n", c.Name, gonames.Exported(c.Name),
			requirementText(c.Requirement), len(p.OperationsOf(c.Name)))
	}
}

func explainCapability(w io.Writer, p *model.Provider, c model.Capability) {
	fmt.Fprintf(w, "%s on %s: %s\n", c.Name, p.Name, c.Description)
	fmt.Fprintf(w, "handle: Grant.%s()\n\nsatisfied by any one of:\n", gonames.Exported(c.Name))
	for _, alt := range c.Requirement {
		fmt.Fprintf(w, "  %s\n", altText(alt))
	}
	fmt.Fprintf(w, "\nscopes:\n")
	for _, name := range scopesOf(c.Requirement) {
		s, _ := p.Scope(name)
		fmt.Fprintf(w, "  %s\t%s%s\n", s.Name, s.Description, scopeNotes(p, s))
	}
	fmt.Fprintf(w, "\noperations:\n")
	for _, op := range p.OperationsOf(c.Name) {
		fmt.Fprintf(w, "  %s\t%s %s\n", op.Name, op.Method, op.Path)
	}
}

func explainOperation(w io.Writer, p *model.Provider, op model.Operation) {
	c, _ := p.Capability(op.Capability)
	fmt.Fprintf(w, "%s on %s: %s\n", op.Name, p.Name, op.Summary)
	fmt.Fprintf(w, "%s %s%s\n\n", op.Method, p.BaseURL, op.Path)
	fmt.Fprintf(w, "capability:\t%s (handle %s)\n", op.Capability, gonames.Exported(op.Capability))
	fmt.Fprintf(w, "satisfied by:\t%s\n", requirementText(c.Requirement))
	fmt.Fprintf(w, "provider accepts:\t%s\n", requirementText(op.Requirement))
	for _, prm := range op.Params {
		fmt.Fprintf(w, "param %s:\t%s %s%s\n", prm.Name, prm.In, prm.Type.String(),
			requiredText(prm.Required))
	}
	if op.Request != nil {
		fmt.Fprintf(w, "request:\t%s\n", op.Request.String())
	}
	if op.Response != nil {
		fmt.Fprintf(w, "response:\t%s\n", op.Response.String())
	}
}

func scopeNotes(p *model.Provider, s model.Scope) string {
	var notes []string
	if len(s.Implies) > 0 {
		notes = append(notes, "implies "+strings.Join(s.Implies, ", "))
	}
	for _, other := range p.Scopes {
		for _, imp := range other.Implies {
			if imp == s.Name {
				notes = append(notes, "implied by "+other.Name)
			}
		}
	}
	if d := s.Deprecated; d != nil {
		notes = append(notes, "deprecated"+prefixed(" since ", d.Since)+
			prefixed(", use ", strings.Join(d.ReplacedBy, ", ")))
	}
	if len(notes) == 0 {
		return ""
	}
	return " (" + strings.Join(notes, "; ") + ")"
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

func scopesOf(req model.Requirement) []string {
	seen := map[string]bool{}
	var out []string
	for _, alt := range req {
		for _, s := range alt {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

func altText(alt []string) string {
	if len(alt) == 0 {
		return "(no scope)"
	}
	return strings.Join(alt, " + ")
}

func requirementText(req model.Requirement) string {
	alts := make([]string, len(req))
	for i, alt := range req {
		alts[i] = altText(alt)
	}
	return strings.Join(alts, " | ")
}

func requiredText(required bool) string {
	if required {
		return ", required"
	}
	return ""
}
