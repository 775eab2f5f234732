package generator

import (
	"bytes"
	"strings"

	"github.com/capgen/capgen/internal/model"
	"github.com/capgen/capgen/templates"
)

// ProvidersPage renders the catalogue page from templates/providers.md.tmpl:
// per provider, its capabilities, the scopes that satisfy them and the
// operations of their handles. Equal catalogues give identical bytes.
func ProvidersPage(cat *model.Catalog) ([]byte, error) {
	t, err := templates.Parse("providers.md.tmpl")
	if err != nil {
		return nil, err
	}
	var page cataloguePage
	for _, p := range cat.Providers {
		page.Providers = append(page.Providers, providerSectionOf(p))
	}
	var buf bytes.Buffer
	buf.WriteString(MarkdownHeader + "\n\n")
	if err := t.Execute(&buf, page); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// cataloguePage is the catalogue with every string already escaped for
// Markdown: the template only lays it out.
type cataloguePage struct {
	Providers []providerSection
}

type providerSection struct {
	Name, Title, Source, Docs string
	Operations                int
	Capabilities              []capabilityRow
}

type capabilityRow struct {
	Name, Scopes, Operations string
}

func providerSectionOf(p *model.Provider) providerSection {
	s := providerSection{
		Name:       mdCode(p.Name),
		Title:      mdCell(p.Title),
		Source:     mdCode(p.Source),
		Docs:       mdCell(p.Docs),
		Operations: len(p.Operations),
	}
	for _, c := range p.Capabilities {
		var ops []string
		for _, op := range p.OperationsOf(c.Name) {
			ops = append(ops, mdCode(op.Name))
		}
		s.Capabilities = append(s.Capabilities, capabilityRow{
			Name:       mdCode(c.Name),
			Scopes:     alternatives(p, c.Requirement),
			Operations: strings.Join(ops, ", "),
		})
	}
	return s
}

// alternatives writes a requirement for a table cell: alternatives joined
// by "or", the scopes of one alternative by "+", deprecated scopes marked.
func alternatives(p *model.Provider, req model.Requirement) string {
	var lines []string
	for _, alt := range req {
		var names []string
		for _, name := range alt {
			n := mdCode(name)
			if s, _ := p.Scope(name); s.Deprecated != nil {
				n += " (deprecated)"
			}
			names = append(names, n)
		}
		if len(names) == 0 {
			names = []string{"no scope"}
		}
		lines = append(lines, strings.Join(names, " + "))
	}
	return strings.Join(lines, " or ")
}

// mdCode writes a name as a code span that is safe in a table cell; a
// name holding a backtick gets a longer fence.
func mdCode(s string) string {
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if len(fence) > 1 {
		s = " " + s + " "
	}
	return fence + mdCell(s) + fence
}

// mdCell escapes text for a table cell: a pipe would end the cell and a
// line break the row.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}
