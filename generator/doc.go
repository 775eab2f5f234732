package generator

import (
	"strings"

	. "github.com/dave/jennifer/jen"
)

// commentWidth is where doc comment text wraps, not counting "// ".
const commentWidth = 76

// commenter is a jennifer File or Group: both add comment lines.
type commenter interface {
	Comment(string) *Statement
}

// comment adds text as // lines, wrapped at commentWidth. Lines that start
// with a tab or two spaces (code and lists) are kept as they are.
func comment(c commenter, text string) {
	for _, line := range wrap(text, commentWidth) {
		c.Comment(line)
	}
}

// packageComment adds the package doc comment, wrapped like comment.
func packageComment(f *File, text string) {
	for _, line := range wrap(text, commentWidth) {
		f.PackageComment(line)
	}
}

// wrap joins the lines of each paragraph of text and breaks them into lines
// of at most width columns, breaking only at spaces. Blank lines separate
// paragraphs; lines that start with a tab or two spaces are kept as written.
func wrap(text string, width int) []string {
	var out, para []string
	flush := func() {
		if para != nil {
			out = append(out, wrapLine(strings.Join(para, " "), width)...)
			para = nil
		}
	}
	for _, line := range strings.Split(text, "\n") {
		switch {
		case strings.HasPrefix(line, "  - "):
			flush()
			out = append(out, listItem(line[4:], width)...)
		case strings.HasPrefix(line, "\t") || strings.HasPrefix(line, "  "):
			flush()
			out = append(out, line)
		case strings.TrimSpace(line) == "":
			flush()
			out = append(out, "")
		default:
			para = append(para, line)
		}
	}
	flush()
	return out
}

// listItem wraps a list item of a doc comment, indenting its continuation
// lines under the item's text as gofmt's doc comment format wants.
func listItem(text string, width int) []string {
	lines := wrapLine(text, width-4)
	for i := range lines {
		if i == 0 {
			lines[i] = "  - " + lines[i]
		} else {
			lines[i] = "    " + lines[i]
		}
	}
	return lines
}

func wrapLine(line string, width int) []string {
	words := strings.Fields(line)
	if len(words) == 0 {
		return []string{""}
	}
	var out []string
	cur := words[0]
	for _, w := range words[1:] {
		if len(cur)+1+len(w) > width {
			out = append(out, cur)
			cur = w
			continue
		}
		cur += " " + w
	}
	return append(out, cur)
}

// describe turns a spec description into a doc sentence that starts with
// name: "A person in the CRM." becomes "Contact is a person in the CRM.".
func describe(name, desc string) string {
	desc = strings.TrimSpace(desc)
	for _, article := range []string{"A ", "An ", "One ", "The "} {
		if strings.HasPrefix(desc, article) {
			return name + " is " + lowerFirst(desc)
		}
	}
	if strings.HasPrefix(desc, name+" ") {
		return desc
	}
	return name + ": " + desc
}

// summarize turns an imperative operation summary into a doc sentence that
// starts with name: "Read one contact." becomes "GetContact reads one
// contact.".
func summarize(name, summary string) string {
	summary = strings.TrimSpace(summary)
	verb, rest, _ := strings.Cut(summary, " ")
	if verb == "" {
		return name + "."
	}
	s := name + " " + thirdPerson(lowerFirst(verb))
	if rest != "" {
		s += " " + rest
	}
	return s
}

// thirdPerson conjugates an English verb in the imperative: list -> lists,
// search -> searches, copy -> copies.
func thirdPerson(verb string) string {
	n := len(verb)
	switch {
	case n == 0:
		return verb
	case strings.HasSuffix(verb, "s") || strings.HasSuffix(verb, "x") ||
		strings.HasSuffix(verb, "ch") || strings.HasSuffix(verb, "sh") || strings.HasSuffix(verb, "o"):
		return verb + "es"
	case n > 1 && verb[n-1] == 'y' && !strings.ContainsRune("aeiou", rune(verb[n-2])):
		return verb[:n-1] + "ies"
	}
	return verb + "s"
}
