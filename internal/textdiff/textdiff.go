// Package textdiff renders line diffs in unified format, for showing how a
// generated file would change.
package textdiff

import (
	"fmt"
	"strings"
)

// Unified returns a unified diff from old to new with three lines of
// context, or "" when they are equal.
func Unified(oldName, newName, old, new string) string {
	if old == new {
		return ""
	}
	a, b := splitLines(old), splitLines(new)
	ops := diffLines(a, b)
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", oldName, newName)
	for _, h := range hunks(ops, 3) {
		h.write(&out, a, b)
	}
	return out.String()
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// edit is one line of the diff: kept (' '), deleted ('-') or inserted ('+'),
// with its index in a (for ' ' and '-') or b (for '+').
type edit struct {
	op   byte
	a, b int
}

// diffLines finds a shortest edit script with a longest common subsequence
// table over the lines between the common prefix and suffix.
func diffLines(a, b []string) []edit {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var edits []edit
	for i := range pre {
		edits = append(edits, edit{' ', i, i})
	}
	edits = append(edits, lcsEdits(a[pre:len(a)-suf], b[pre:len(b)-suf], pre)...)
	for k := suf; k > 0; k-- {
		edits = append(edits, edit{' ', len(a) - k, len(b) - k})
	}
	return edits
}

func lcsEdits(a, b []string, off int) []edit {
	n, m := len(a), len(b)
	l := make([][]int32, n+1)
	for i := range l {
		l[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				l[i][j] = l[i+1][j+1] + 1
			} else {
				l[i][j] = max(l[i+1][j], l[i][j+1])
			}
		}
	}
	var edits []edit
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			edits = append(edits, edit{' ', off + i, off + j})
			i, j = i+1, j+1
		case i < n && (j == m || l[i+1][j] >= l[i][j+1]):
			edits = append(edits, edit{'-', off + i, off + j})
			i++
		default:
			edits = append(edits, edit{'+', off + i, off + j})
			j++
		}
	}
	return edits
}

// hunk is a run of edits with its surrounding context.
type hunk struct{ edits []edit }

func hunks(edits []edit, context int) []hunk {
	var out []hunk
	start, lastChange := -1, -1
	for i, e := range edits {
		if e.op == ' ' {
			continue
		}
		if start >= 0 && i-lastChange > 2*context {
			out = append(out, hunk{edits[start : lastChange+context+1]})
			start = -1
		}
		if start < 0 {
			start = max(0, i-context)
		}
		lastChange = i
	}
	if start >= 0 {
		out = append(out, hunk{edits[start:min(len(edits), lastChange+context+1)]})
	}
	return out
}

func (h hunk) write(w *strings.Builder, a, b []string) {
	first := h.edits[0]
	var na, nb int
	for _, e := range h.edits {
		if e.op != '+' {
			na++
		}
		if e.op != '-' {
			nb++
		}
	}
	fmt.Fprintf(w, "@@ -%s +%s @@\n", rangeText(first.a, na), rangeText(first.b, nb))
	for _, e := range h.edits {
		line := ""
		if e.op == '+' {
			line = b[e.b]
		} else {
			line = a[e.a]
		}
		w.WriteByte(e.op)
		w.WriteString(line)
		if !strings.HasSuffix(line, "\n") {
			w.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

func rangeText(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if n == 1 {
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}
