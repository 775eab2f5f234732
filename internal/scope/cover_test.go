package scope

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var drive = Implications{
	"drive":          {"drive.file", "drive.readonly", "drive.metadata"},
	"drive.readonly": {"drive.metadata.readonly"},
	"drive.metadata": {"drive.metadata.readonly"},
}

func TestMinimalCover(t *testing.T) {
	tests := []struct {
		name  string
		imp   Implications
		reqs  []Requirement
		given []string
		want  []string
	}{
		{"one broader scope beats two exact ones", github,
			[]Requirement{{{"read:user"}}, {{"user:email"}}}, nil, []string{"user"}},
		{"least privilege among alternatives", drive,
			[]Requirement{{{"drive"}, {"drive.file"}}}, nil, []string{"drive.file"}},
		{"least privilege before name, two scopes each", Implications{"a": {"p", "q"}},
			[]Requirement{{{"a", "z"}, {"c", "b"}}}, nil, []string{"b", "c"}},
		{"fewer scopes beat less privilege", drive,
			[]Requirement{{{"drive.file"}}, {{"drive.metadata"}}}, nil, []string{"drive"}},
		{"privilege beats name", Implications{"a": {"z"}},
			[]Requirement{{{"a"}, {"b"}}}, nil, []string{"b"}},
		{"shared grants count once", Implications{"a": {"z"}, "c": {"z"}, "d": {"w"}},
			[]Requirement{{{"a"}, {"b"}}, {{"c"}, {"d"}}}, nil, []string{"a", "c"}},
		{"ties broken by name", nil,
			[]Requirement{{{"b"}, {"a"}}}, nil, []string{"a"}},
		{"name ties compare sorted lists", nil,
			[]Requirement{{{"b", "c"}, {"a", "d"}}}, nil, []string{"a", "d"}},
		{"given scopes are not repeated", github,
			[]Requirement{{{"public_repo"}}, {{"read:org"}}}, []string{"repo"},
			[]string{"read:org"}},
		{"given closure counts toward the grant", drive,
			[]Requirement{{{"drive.metadata.readonly", "x"}, {"drive.file", "y"}}},
			[]string{"drive.readonly"}, []string{"x"}},
		{"given meets everything", github,
			[]Requirement{{{"read:org"}}}, []string{"admin:org"}, []string{}},
		{"empty alternative needs nothing", github,
			[]Requirement{{{"repo"}, {}}}, nil, []string{}},
		{"no requirements", github, nil, nil, []string{}},
		{"cyclic implications terminate", Implications{"a": {"b"}, "b": {"c"}, "c": {"a"}},
			[]Requirement{{{"c"}}, {{"b"}}}, nil, []string{"a"}},
		{"all scopes of one alternative", nil,
			[]Requirement{{{"x", "y"}, {"c"}}, {{"x"}, {"d"}}, {{"y"}, {"e"}}},
			nil, []string{"x", "y"}},
		{"one scope beats all of an alternative", nil,
			[]Requirement{{{"a", "b"}, {"c"}}}, nil, []string{"c"}},
		{"one scope granting an alternative", Implications{"x": {"a", "b"}},
			[]Requirement{{{"a", "b"}}}, nil, []string{"x"}},
		{"scope outside every alternative", Implications{"x": {"a", "b"}, "y": {"c"}},
			[]Requirement{{{"a"}, {"c"}}, {{"b"}, {"c", "d"}}}, nil, []string{"x"}},
		{"duplicates are harmless", github,
			[]Requirement{{{"repo", "repo"}}, {{"repo"}}}, []string{"user", "user"},
			[]string{"repo"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.imp.MinimalCover(tt.reqs, tt.given)
			if err != nil {
				t.Fatalf("MinimalCover(%v, %v): %v", tt.reqs, tt.given, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("MinimalCover(%v, %v) (-want +got):\n%s", tt.reqs, tt.given, diff)
			}
		})
	}
}

func TestMinimalCoverUnsatisfiable(t *testing.T) {
	reqs := []Requirement{{{"repo"}}, {{}}, {}, {}}
	got, err := github.MinimalCover(reqs, nil)
	if err == nil || !strings.Contains(err.Error(), "requirement 2 has no alternatives") {
		t.Fatalf("MinimalCover(%v) = %v, %v; want an error naming requirement 2",
			reqs, got, err)
	}
	if got != nil {
		t.Errorf("MinimalCover(%v) = %v with an error, want nil", reqs, got)
	}
}

func TestSatisfier(t *testing.T) {
	tests := []struct {
		name   string
		imp    Implications
		chosen []string
		req    Requirement
		want   []string
	}{
		{"implied scope", github, []string{"user", "repo"}, Requirement{{"public_repo"}},
			[]string{"repo"}},
		{"not met", github, []string{"user"}, Requirement{{"public_repo"}}, nil},
		{"no alternatives", github, []string{"user"}, Requirement{}, nil},
		{"empty alternative", github, []string{"user"}, Requirement{{"repo"}, {}}, []string{}},
		{"fewest scopes", nil, []string{"a", "b", "c"}, Requirement{{"a", "b"}, {"c"}},
			[]string{"c"}},
		{"then by name", drive, []string{"drive", "drive.file"}, Requirement{{"drive.file"}},
			[]string{"drive"}},
		{"unknown chosen scope", nil, []string{"q", "a"}, Requirement{{"a"}}, []string{"a"}},
		{"cycle", Implications{"a": {"b"}, "b": {"a"}}, []string{"b"}, Requirement{{"a"}},
			[]string{"b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.imp.Satisfier(tt.chosen, tt.req)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Satisfier(%v, %v) (-want +got):\n%s", tt.chosen, tt.req, diff)
			}
			if (got == nil) != (tt.want == nil) {
				t.Errorf("Satisfier(%v, %v) = %#v, want %#v", tt.chosen, tt.req, got, tt.want)
			}
		})
	}
}

// instance is a random cover problem over a few scopes, small enough to
// solve by trying every subset.
type instance struct {
	names []string
	imp   Implications
	reqs  []Requirement
	given []string
	cycle bool
}

func (in instance) String() string {
	return fmt.Sprintf("scopes %v\nimplications %v\nrequirements %v\ngiven %v",
		in.names, in.imp, in.reqs, in.given)
}

// namePool has names that are prefixes of one another, so the name order is
// exercised beyond single letters.
var namePool = []string{"a", "ab", "abc", "b", "ba", "c", "d", "e", "f", "g", "h", "i"}

func randomInstance(r *rand.Rand) instance {
	n := 3 + r.IntN(8)
	names := slices.Clone(namePool)
	r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	in := instance{names: names[:n], imp: Implications{}}

	// Edges only run forward in the shuffled order, so they form no cycle;
	// one instance in ten gets a backward edge as well.
	for i := range n {
		for j := i + 1; j < n; j++ {
			if r.IntN(4) == 0 {
				in.imp[in.names[i]] = append(in.imp[in.names[i]], in.names[j])
			}
		}
	}
	if r.IntN(10) == 0 {
		i, j := r.IntN(n), r.IntN(n)
		in.imp[in.names[max(i, j)]] = append(in.imp[in.names[max(i, j)]], in.names[min(i, j)])
		in.cycle = in.imp.Cycle() != nil
	}
	if r.IntN(3) == 0 {
		in.given = in.pick(r, 1+r.IntN(2))
	}
	for range 1 + r.IntN(5) {
		in.reqs = append(in.reqs, in.randomRequirement(r))
	}
	return in
}

func (in instance) randomRequirement(r *rand.Rand) Requirement {
	switch r.IntN(60) {
	case 0:
		return Requirement{}
	case 1:
		return Requirement{{}, in.pick(r, 1)}
	}
	var req Requirement
	for range 1 + r.IntN(3) {
		req = append(req, in.pick(r, 1+r.IntN(3)))
	}
	return req
}

// pick returns k scopes drawn with replacement.
func (in instance) pick(r *rand.Rand, k int) []string {
	out := make([]string, k)
	for i := range out {
		out[i] = in.names[r.IntN(len(in.names))]
	}
	return out
}

// masks returns each scope's closure as a bit mask over in.names, computed
// with Closure.
func (in instance) masks() []uint {
	out := make([]uint, len(in.names))
	for i, s := range in.names {
		for _, c := range in.imp.Closure([]string{s}) {
			out[i] |= 1 << slices.Index(in.names, c)
		}
	}
	return out
}

func (in instance) maskOf(scopes []string) uint {
	var m uint
	for _, s := range scopes {
		m |= 1 << slices.Index(in.names, s)
	}
	return m
}

func (in instance) namesOf(m uint) []string {
	out := []string{}
	for i, s := range in.names {
		if m&(1<<i) != 0 {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

func grantOf(closures []uint, m uint) uint {
	var g uint
	for i, c := range closures {
		if m&(1<<i) != 0 {
			g |= c
		}
	}
	return g
}

func meets(grant uint, req []uint) bool {
	for _, alt := range req {
		if grant&alt == alt {
			return true
		}
	}
	return false
}

// bruteCover tries every subset of the scopes outside given and keeps the
// best by size, then grant, then sorted names; nil when none meets all.
func bruteCover(in instance) []string {
	closures, given := in.masks(), in.maskOf(in.given)
	reqs := make([][]uint, len(in.reqs))
	for i, r := range in.reqs {
		for _, alt := range r {
			reqs[i] = append(reqs[i], in.maskOf(alt))
		}
	}
	var best []string
	bestGrant := 0
	for m := uint(0); m < 1<<len(in.names); m++ {
		if m&given != 0 {
			continue
		}
		grant := grantOf(closures, m|given)
		if !slices.ContainsFunc(reqs, func(r []uint) bool { return !meets(grant, r) }) &&
			(best == nil || betterCover(in.namesOf(m), bits.OnesCount(grant), best, bestGrant)) {
			best, bestGrant = in.namesOf(m), bits.OnesCount(grant)
		}
	}
	return best
}

func betterCover(a []string, aGrant int, b []string, bGrant int) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	if aGrant != bGrant {
		return aGrant < bGrant
	}
	return slices.Compare(a, b) < 0
}

func TestMinimalCoverMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 6000
	var cyclic, unsatisfiable, disagreements int
	for range n {
		in := randomInstance(r)
		if in.cycle {
			cyclic++
		}
		want := bruteCover(in)
		if want == nil {
			unsatisfiable++
		}
		if !agrees(t, in, want) {
			disagreements++
		}
	}
	t.Logf("%d random instances (%d with cyclic implications, %d unsatisfiable): "+
		"%d disagreements with brute force", n, cyclic, unsatisfiable, disagreements)
}

// agrees solves in as given and with its requirements, alternatives and given
// scopes reversed, and reports whether every answer equals want.
func agrees(t *testing.T, in instance, want []string) bool {
	t.Helper()
	ok := true
	for _, in := range []instance{in, in.reversed()} {
		got, err := in.imp.MinimalCover(in.reqs, in.given)
		switch {
		case want == nil && err == nil:
			t.Errorf("MinimalCover = %v, want an error\n%v", got, in)
		case want != nil && err != nil:
			t.Errorf("MinimalCover: %v, want %v\n%v", err, want, in)
		case !cmp.Equal(want, got):
			t.Errorf("MinimalCover = %v, brute force = %v\n%v", got, want, in)
		default:
			continue
		}
		ok = false
	}
	return ok
}

func (in instance) reversed() instance {
	out := in
	out.reqs = make([]Requirement, len(in.reqs))
	for i, r := range in.reqs {
		out.reqs[len(in.reqs)-1-i] = slices.Clone(r)
		slices.Reverse(out.reqs[len(in.reqs)-1-i])
	}
	out.given = slices.Clone(in.given)
	slices.Reverse(out.given)
	return out
}

func TestSatisfierIsSmallestSubset(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const n = 5000
	var unmet int
	for range n {
		in := randomInstance(r)
		chosen := in.pick(r, r.IntN(len(in.names)+1))
		req := in.reqs[0]
		got := in.imp.Satisfier(chosen, req)
		if got == nil {
			unmet++
		}
		if want := bruteSatisfier(in, chosen, req); !cmp.Equal(want, got) {
			t.Errorf("Satisfier(%v, %v) = %#v, want %#v\n%v", chosen, req, got, want, in)
		}
		if (got != nil) != in.imp.Satisfies(chosen, req) {
			t.Errorf("Satisfier(%v, %v) = %#v, but Satisfies reports %v\n%v",
				chosen, req, got, !in.imp.Satisfies(chosen, req), in)
		}
		if got != nil && !in.imp.Satisfies(got, req) {
			t.Errorf("Satisfier(%v, %v) = %v, which does not meet it\n%v", chosen, req, got, in)
		}
	}
	t.Logf("%d random requirements, %d not met by the chosen scopes", n, unmet)
}

// bruteSatisfier tries every subset of chosen, fewest scopes first and each
// size in name order, and returns the first that meets req.
func bruteSatisfier(in instance, chosen []string, req Requirement) []string {
	var best []string
	pool := in.maskOf(chosen)
	for m := uint(0); m < 1<<len(in.names); m++ {
		if m&^pool != 0 || !in.imp.Satisfies(in.namesOf(m), req) {
			continue
		}
		if s := in.namesOf(m); best == nil || betterCover(s, 0, best, 0) {
			best = s
		}
	}
	return best
}
