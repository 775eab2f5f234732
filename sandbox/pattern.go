package sandbox

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// renderPattern returns a text the pattern matches, with fill as the text
// of its first group when fill is not nil. ok is false when the rendering
// does not come out as asked, which happens for patterns whose groups or
// classes the renderer cannot satisfy; callers then use fill alone.
func renderPattern(pattern string, fill *string) (string, bool) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return "", false
	}
	tree, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return "", false
	}
	var b strings.Builder
	if fill != nil && re.NumSubexp() == 0 {
		b.WriteString(*fill)
	} else {
		render(&b, tree, fill)
	}

	text := b.String()
	m := re.FindStringSubmatch(text)
	switch {
	case m == nil:
		return "", false
	case fill != nil && re.NumSubexp() > 0:
		return text, m[1] == *fill
	case fill != nil:
		return text, m[0] == *fill
	}
	return text, true
}

// render writes the shortest text the tree matches, taking the first branch
// of every alternation.
func render(b *strings.Builder, re *syntax.Regexp, fill *string) {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			b.WriteString(strings.ToLower(string(re.Rune)))
		} else {
			b.WriteString(string(re.Rune))
		}
	case syntax.OpCapture:
		if re.Cap == 1 && fill != nil {
			b.WriteString(*fill)
			return
		}
		render(b, re.Sub[0], fill)
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			render(b, sub, fill)
		}
	case syntax.OpAlternate:
		render(b, re.Sub[0], fill)
	case syntax.OpPlus:
		render(b, re.Sub[0], fill)
	case syntax.OpRepeat:
		for range re.Min {
			render(b, re.Sub[0], fill)
		}
	case syntax.OpCharClass:
		b.WriteRune(classRune(re.Rune))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteRune('x')
	}
}

// classRune picks a readable rune of a character class, given as ranges.
func classRune(ranges []rune) rune {
	for _, want := range "xa0A_-" {
		for i := 0; i+1 < len(ranges); i += 2 {
			if ranges[i] <= want && want <= ranges[i+1] {
				return want
			}
		}
	}
	if len(ranges) == 0 {
		return 'x'
	}
	return ranges[0]
}
