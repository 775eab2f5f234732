package importer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// width is the column comments and long texts are wrapped at.
const width = 90

// render writes the draft's YAML.
func render(a *api, groups []*group, opts Options) []byte {
	w := &writer{at: -1}
	w.header(a, opts)
	w.provider(a, opts)
	w.auth(a, opts)
	w.scopes(a)
	w.capabilities(groups)
	w.operations(groups)
	w.types(a.types)
	return w.b.Bytes()
}

// writer writes YAML line by line. Between beginComment and endComment,
// every line is commented out at the indentation the block started at, so
// that deleting "# " restores it.
type writer struct {
	b  bytes.Buffer
	at int
}

func (w *writer) line(indent int, text string) {
	if w.at < 0 {
		w.b.WriteString(strings.Repeat(" ", indent) + text + "\n")
		return
	}
	w.b.WriteString(strings.Repeat(" ", w.at) + "# " + strings.Repeat(" ", indent-w.at) + text + "\n")
}

func (w *writer) beginComment(indent int) { w.at = indent }
func (w *writer) endComment()             { w.at = -1 }

func (w *writer) blank() { w.b.WriteString("\n") }

// comment writes text as comment lines wrapped at width.
func (w *writer) comment(indent int, text string) {
	for _, l := range wrap(text, width-indent-2) {
		w.line(indent, "# "+l)
	}
}

// value writes key: value, with value already encoded.
func (w *writer) value(indent int, key, value string) {
	w.line(indent, blockScalar(key)+": "+value)
}

// text writes a prose value: plain or quoted when short, folded when long.
func (w *writer) text(indent int, key, text string) {
	if text == "" {
		return
	}
	if short := textScalar(text); indent+len(key)+2+len(short) <= width {
		w.value(indent, key, short)
		return
	}
	w.line(indent, blockScalar(key)+": >-")
	for _, l := range wrap(text, width-indent-2) {
		w.line(indent+2, l)
	}
}

// requirement writes a list of alternatives, each a flow list that goes on
// over more lines when it does not fit on one.
func (w *writer) requirement(indent int, key string, req [][]string) {
	w.line(indent, key+":")
	for _, alt := range req {
		items := make([]string, len(alt))
		for i, s := range alt {
			items[i] = flowScalar(s)
		}
		lines := wrap(strings.Join(items, ", "), width-indent-5)
		lines[0] = "- [" + lines[0]
		lines[len(lines)-1] += "]"
		for i, l := range lines {
			w.line(indent+2+2*min(i, 1), l)
		}
	}
}

func (w *writer) header(a *api, opts Options) {
	source := "the description"
	if opts.Source != "" {
		source = opts.Source
	}
	w.comment(0, fmt.Sprintf("Draft provider spec imported by capgen import from %s (%s). "+
		"It passes capgen check as it is. Review every DECIDE comment, and the operations "+
		"commented out under TODO(decide), before relying on it.", source, a.format))
	if opts.AlternativesInOneRequirement {
		w.comment(0, "The scopes of each security requirement object were read as "+
			"alternatives, any one of which suffices, not as scopes that are all needed.")
	}
	if opts.NoScope != "" {
		w.comment(0, fmt.Sprintf("Scope %s was read as needing no scope.", opts.NoScope))
	}
	w.line(0, "#")
	w.comment(0, "DECIDE: errors: the description does not say how failures are reported; "+
		"add rules from the provider's documentation.")
	w.comment(0, "DECIDE: granted_scopes: say where the scopes a connection got can be read.")
	w.comment(0, "DECIDE: probe: mark one cheap operation of each capability.")
	for _, n := range a.notes {
		w.comment(0, "DECIDE: "+sentence(n))
	}
}

func (w *writer) provider(a *api, opts Options) {
	w.value(0, "provider", opts.Name)
	w.text(0, "title", cleanText(a.title))
	if a.docs != "" {
		w.value(0, "docs", blockScalar(a.docs))
	}
	w.value(0, "base_url", blockScalar(a.baseURL))
}

func (w *writer) auth(a *api, opts Options) {
	if a.auth == nil {
		return
	}
	sep := opts.ScopeSeparator
	if sep == "" {
		sep = " "
	}
	w.blank()
	w.line(0, "auth:")
	w.line(2, "oauth2:")
	w.value(4, "authorize_url", blockScalar(a.auth.authorize))
	w.value(4, "token_url", blockScalar(a.auth.token))
	w.value(4, "scope_separator", blockScalar(sep))
}

// scopes declares every scope the description declares or an operation
// uses, by name.
func (w *writer) scopes(a *api) {
	all := map[string]bool{}
	for name := range a.scopes {
		all[name] = true
	}
	for _, op := range a.ops {
		for _, alt := range op.accepts {
			for _, s := range alt {
				all[s] = true
			}
		}
	}
	w.blank()
	if len(all) == 0 {
		w.line(0, "scopes: {}")
		return
	}
	w.line(0, "scopes:")
	for _, name := range sortedKeys(all) {
		desc, declared := a.scopes[name]
		if !declared {
			w.comment(2, "DECIDE: the description uses this scope without declaring it; "+
				"describe it.")
		}
		if desc = cleanText(desc); desc == "" {
			w.value(2, name, "{}")
			continue
		}
		w.line(2, blockScalar(name)+":")
		w.text(4, "description", desc)
	}
}

func (w *writer) capabilities(groups []*group) {
	w.blank()
	if len(groups) == 0 || !groups[0].known {
		w.line(0, "capabilities: {}")
	} else {
		w.line(0, "capabilities:")
	}
	for _, g := range groups {
		w.capability(g)
	}
}

func (w *writer) capability(g *group) {
	resources := strings.Join(g.resources, ", ")
	if resources == "" {
		resources = "(none)"
	}
	if g.known {
		w.comment(2, fmt.Sprintf("DECIDE: suggested for the %s of resources %s; confirm, "+
			"or move operations to another capability.", actionWord(g), resources))
	} else {
		w.comment(2, fmt.Sprintf("TODO(decide): %s is not in the vocabulary, and no "+
			"vocabulary capability fits the %s of resources %s. Add it to capabilities.yaml "+
			"or choose an existing capability, then uncomment it and its operations.",
			g.capability, actionWord(g), resources))
	}
	if g.widened {
		w.comment(2, "DECIDE: no alternative of one operation satisfies all the others, so "+
			"each alternative below joins the scopes of several; narrow it, or split the "+
			"operations between capabilities.")
	}
	if !g.known {
		w.beginComment(2)
		defer w.endComment()
	}
	w.line(2, g.capability+":")
	w.requirement(4, "any_of", g.requirement)
}

func actionWord(g *group) string {
	if strings.HasSuffix(g.capability, ".read") {
		return "reads (GET)"
	}
	return "writes"
}

func (w *writer) operations(groups []*group) {
	w.blank()
	if len(groups) == 0 || !groups[0].known {
		w.line(0, "operations: {}")
	} else {
		w.line(0, "operations:")
	}
	for _, g := range groups {
		w.blank()
		if g.known {
			w.comment(2, g.capability)
		} else {
			w.comment(2, "TODO(decide): "+g.capability+" is not in the vocabulary; see "+
				"capabilities.")
		}
		for _, op := range g.ops {
			w.operation(g, op)
		}
	}
}

func (w *writer) operation(g *group, op *operation) {
	for _, n := range op.notes {
		w.comment(2, "DECIDE: "+sentence(n))
	}
	if !g.known {
		w.beginComment(2)
		defer w.endComment()
	}
	w.line(2, op.name+":")
	w.text(4, "summary", op.summary)
	w.value(4, "method", op.method)
	w.value(4, "path", blockScalar(op.path))
	w.value(4, "capability", g.capability)
	if !sameRequirement(op.accepts, g.requirement) {
		w.requirement(4, "accepts", op.accepts)
	}
	w.params(op.params)
	if op.requestType != "" {
		w.value(4, "request", blockScalar(op.requestType))
	}
	if op.responseType != "" {
		w.value(4, "response", blockScalar(op.responseType))
	}
}

func (w *writer) params(params []param) {
	if len(params) == 0 {
		return
	}
	w.line(4, "params:")
	for _, p := range params {
		w.line(6, blockScalar(p.name)+":")
		w.value(8, "in", p.in)
		w.value(8, "type", blockScalar(p.typ))
		if p.required && p.in != "path" {
			w.value(8, "required", "true")
		}
		w.text(8, "description", p.description)
	}
}

func (w *writer) types(b *typeBuilder) {
	if len(b.types) == 0 {
		return
	}
	w.blank()
	w.line(0, "types:")
	for _, name := range sortedKeys(b.types) {
		t := b.types[name]
		w.line(2, name+":")
		w.text(4, "description", t.description)
		w.line(4, "fields:")
		for _, f := range t.fields {
			w.field(f)
		}
	}
}

func (w *writer) field(f fieldDef) {
	if f.description == "" && f.goName == "" {
		w.value(6, f.json, blockScalar(f.typ))
		return
	}
	w.line(6, blockScalar(f.json)+":")
	w.value(8, "type", blockScalar(f.typ))
	if f.goName != "" {
		w.value(8, "go_name", f.goName)
	}
	w.text(8, "description", f.description)
}

var (
	flowPlain  = regexp.MustCompile(`^[A-Za-z_/][A-Za-z0-9_./:+@\-]*$`)
	blockPlain = regexp.MustCompile(`^[A-Za-z_/][A-Za-z0-9_./:+@\-\[\]{}]*$`)
	textPlain  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9 ,.;()'/_\-]*$`)
	// yamlWords are plain scalars that YAML reads as something other than
	// a string.
	yamlWords = map[string]bool{"true": true, "false": true, "yes": true, "no": true,
		"on": true, "off": true, "null": true, "y": true, "n": true}
)

// flowScalar encodes s for a flow list, where brackets and commas end it.
func flowScalar(s string) string { return encode(s, flowPlain) }

// blockScalar encodes s as a key or a value of a block mapping.
func blockScalar(s string) string { return encode(s, blockPlain) }

// textScalar encodes a line of prose.
func textScalar(s string) string { return encode(s, textPlain) }

func encode(s string, plain *regexp.Regexp) string {
	if plain.MatchString(s) && !strings.HasSuffix(s, ":") && !yamlWords[strings.ToLower(s)] {
		return s
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// cleanText puts text on one line: runs of white space become one space,
// and other control characters go.
func cleanText(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// summaryOf returns the summary, or else the description's first sentence.
func summaryOf(summary, description string) string {
	if s := cleanText(summary); s != "" {
		return s
	}
	text := cleanText(description)
	if i := strings.Index(text, ". "); i >= 0 {
		text = text[:i+1]
	}
	return text
}

// sentence ends text with a full stop.
func sentence(text string) string {
	if strings.HasSuffix(text, ".") {
		return text
	}
	return text + "."
}

// wrap breaks text into lines of at most n bytes where it can, at spaces.
func wrap(text string, n int) []string {
	n = max(n, 40)
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case len(line)+1+len(word) > n:
			lines = append(lines, line)
			line = word
		default:
			line += " " + word
		}
	}
	return append(lines, line)
}
