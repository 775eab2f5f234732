package manifest

import (
	"bytes"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/capgen/capgen/templates"
)

// Markdown renders m from templates/manifest.md.tmpl as a report for a pull
// request's description: per provider the scopes it is asked for and why,
// its capabilities and its authorization request, then the features.
// Equal manifests give identical bytes.
func Markdown(m *Manifest) ([]byte, error) {
	t, err := templates.Parse("manifest.md.tmpl")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, reportOf(m)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// reportView is a manifest in the order the report shows it, with every string
// already escaped for Markdown: the template only lays it out.
type reportView struct {
	Package   string
	Providers []providerReport
	Features  []featureRow
}

type providerReport struct {
	Name, Title, Source string
	Required, Optional  []scopeLine
	Capabilities        []capabilityRow
	Authorization       []settingRow
}

type scopeLine struct {
	Name, Deprecation, Capabilities, Features string
}

type capabilityRow struct {
	Name, Required, Scopes, Features string
}

type settingRow struct {
	Name, Value string
}

type featureRow struct {
	Name, Requires, Optional, Providers string
}

func reportOf(m *Manifest) reportView {
	r := reportView{Package: codeSpan(m.Package)}
	for _, name := range slices.Sorted(maps.Keys(m.Providers)) {
		r.Providers = append(r.Providers, providerReportOf(name, m.Providers[name]))
	}
	for _, name := range slices.Sorted(maps.Keys(m.Features)) {
		f := m.Features[name]
		r.Features = append(r.Features, featureRow{Name: codeSpan(name),
			Requires: nameList(f.Requires), Optional: nameList(f.Optional),
			Providers: nameList(f.Providers)})
	}
	return r
}

func providerReportOf(name string, p Provider) providerReport {
	r := providerReport{
		Name:          codeSpan(name),
		Title:         tableCell(p.Title),
		Source:        codeSpan(p.Source),
		Required:      scopeLines(p.Required, p.Scopes),
		Optional:      scopeLines(p.Optional, p.Scopes),
		Authorization: settingRows(p.Authorization),
	}
	for _, capName := range slices.Sorted(maps.Keys(p.Capabilities)) {
		c := p.Capabilities[capName]
		r.Capabilities = append(r.Capabilities, capabilityRow{Name: codeSpan(capName),
			Required: yesNo(c.Required), Scopes: codeList(c.Scopes),
			Features: nameList(c.Features)})
	}
	return r
}

func scopeLines(names []string, scopes map[string]Scope) []scopeLine {
	var lines []scopeLine
	for _, name := range sortedCopy(names) {
		s := scopes[name]
		line := scopeLine{Name: codeSpan(name), Capabilities: nameList(s.Capabilities),
			Features: nameList(s.Features)}
		if s.Deprecated {
			line.Deprecation = "deprecated, no replacement"
			if len(s.ReplacedBy) > 0 {
				line.Deprecation = "deprecated, use " + codeList(s.ReplacedBy)
			}
		}
		lines = append(lines, line)
	}
	return lines
}

// settingRows lists the set settings of an authorization request in the
// order a request is built, then its fixed parameters by name.
func settingRows(a Authorization) []settingRow {
	var rows []settingRow
	add := func(name, value string) {
		if value != "" {
			rows = append(rows, settingRow{name, codeSpan(value)})
		}
	}
	add("authorize URL", a.AuthorizeURL)
	add("token URL", a.TokenURL)
	add("scope parameter", a.ScopeParam)
	if sep := a.ScopeSeparator; sep != "" {
		// Quoted, as a blank separator would not show.
		add("scope separator", strconv.Quote(sep))
	}
	add("optional scope parameter", a.OptionalScopeParam)
	add("user scope parameter", a.UserScopeParam)
	add("PKCE", a.PKCE)
	for _, k := range slices.Sorted(maps.Keys(a.Params)) {
		rows = append(rows, settingRow{"parameter " + codeSpan(k), codeSpan(a.Params[k])})
	}
	return rows
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// nameList joins names for a table cell, or says there are none.
func nameList(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return tableCell(strings.Join(sortedCopy(names), ", "))
}

// codeList joins names as code spans, or says there are none.
func codeList(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	spans := make([]string, len(names))
	for i, n := range sortedCopy(names) {
		spans[i] = codeSpan(n)
	}
	return strings.Join(spans, ", ")
}

// codeSpan renders s as a code span that is safe inside a table cell. A span
// holding a backtick needs a longer fence, and padding when s starts or ends
// with one.
func codeSpan(s string) string {
	if s == "" {
		return ""
	}
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	padded := strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ")
	if len(fence) > 1 || padded && strings.TrimSpace(s) != "" {
		s = " " + s + " "
	}
	return fence + tableCell(s) + fence
}

// tableCell escapes text for a Markdown table cell: a pipe would end the cell and
// a newline the row.
func tableCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}
