package scope

import (
	"fmt"
	"math/bits"
	"slices"
)

// Requirement is a disjunction of conjunctions: it is met when the closure of
// the chosen scopes holds every scope of at least one alternative. An empty
// alternative needs no scope; a Requirement with no alternatives is never met.
type Requirement [][]string

// MinimalCover returns the scopes to add to given so that the closure of both
// meets every requirement. Of all such sets, which never repeat a scope of
// given, it returns the one with the fewest scopes; among those, the one that
// grants least, counting the closure of given and the result together; among
// those, the one whose sorted names compare smallest with strings.Compare.
// The result is sorted, and empty when given already meets every requirement.
// The error names the first requirement that no scopes can meet.
func (imp Implications) MinimalCover(reqs []Requirement, given []string) ([]string, error) {
	u := newUniverse(imp, reqs, given)
	p := u.problem(reqs, u.closureOf(given), u.newSet())
	chosen, bad := p.solve(true)
	if bad >= 0 {
		// Every scope of an alternative can be chosen, so only a requirement
		// without alternatives is out of reach.
		return nil, fmt.Errorf("scope: requirement %d has no alternatives, so no scopes "+
			"meet it (list at least one; an empty alternative needs no scope)", bad)
	}
	return u.namesOf(chosen), nil
}

// Satisfier returns the smallest subset of chosen whose closure meets req,
// and of equal-sized subsets the one whose sorted names compare smallest. It
// explains which chosen scopes serve a requirement. It returns nil when chosen
// does not meet req, and an empty slice when req has an empty alternative.
func (imp Implications) Satisfier(chosen []string, req Requirement) []string {
	reqs := []Requirement{req}
	u := newUniverse(imp, reqs, chosen)
	banned := u.setOf(chosen)
	banned.invert(len(u.names))
	p := u.problem(reqs, u.newSet(), banned)
	picked, bad := p.solve(false)
	if bad >= 0 {
		return nil
	}
	return u.namesOf(picked)
}

// universe numbers every scope the problem mentions in name order, so that
// comparing two equal-sized sets by their lowest differing index compares
// their sorted names.
type universe struct {
	names    []string
	index    map[string]int
	words    int
	closure  []bitset // closure[i] holds what scope i grants, itself included
	coverers []bitset // coverers[i] holds every scope that grants scope i
}

func newUniverse(imp Implications, reqs []Requirement, extra []string) *universe {
	names := slices.Clone(extra)
	for _, r := range reqs {
		for _, alt := range r {
			names = append(names, alt...)
		}
	}
	for k, vs := range imp {
		names = append(names, k)
		names = append(names, vs...)
	}
	slices.Sort(names)
	names = slices.Compact(names)

	u := &universe{names: names, index: make(map[string]int, len(names))}
	u.words = (len(names) + 63) / 64
	for i, n := range names {
		u.index[n] = i
	}
	u.buildClosures(imp)
	return u
}

// buildClosures walks the implications from each scope separately, which
// stays correct on cycles; the bitset doubles as the visited set.
func (u *universe) buildClosures(imp Implications) {
	n, w := len(u.names), u.words
	next := make([][]int, n)
	for k, vs := range imp {
		for _, v := range vs {
			next[u.index[k]] = append(next[u.index[k]], u.index[v])
		}
	}
	slab := make([]uint64, 2*n*w)
	u.closure, u.coverers = make([]bitset, n), make([]bitset, n)
	for i := range n {
		u.closure[i] = slab[i*w : (i+1)*w : (i+1)*w]
		u.coverers[i] = slab[(n+i)*w : (n+i+1)*w : (n+i+1)*w]
	}
	var stack []int
	for i, c := range u.closure {
		for stack = append(stack[:0], i); len(stack) > 0; {
			s := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if !c.has(s) {
				c.set(s)
				stack = append(stack, next[s]...)
			}
		}
		for j := range c.members() {
			u.coverers[j].set(i)
		}
	}
}

func (u *universe) newSet() bitset { return make(bitset, u.words) }

func (u *universe) setOf(scopes []string) bitset {
	b := u.newSet()
	for _, s := range scopes {
		b.set(u.index[s])
	}
	return b
}

func (u *universe) closureOf(scopes []string) bitset {
	b := u.newSet()
	for _, s := range scopes {
		b.or(u.closure[u.index[s]])
	}
	return b
}

func (u *universe) namesOf(b bitset) []string {
	out := make([]string, 0, b.count())
	for i := range b.members() {
		out = append(out, u.names[i])
	}
	return out
}

// requirement is a Requirement in scope indices; index is its position in the
// caller's list, for errors.
type requirement struct {
	index int
	alts  [][]int
}

// problem is one cover problem: meet reqs on top of the scopes in base, a
// closed set, adding no scope of banned.
type problem struct {
	u      *universe
	reqs   []requirement
	base   bitset
	banned bitset
}

func (u *universe) problem(reqs []Requirement, base, banned bitset) *problem {
	p := &problem{u: u, base: base, banned: banned}
	for i, r := range reqs {
		req := requirement{index: i, alts: make([][]int, len(r))}
		for j, alt := range r {
			for _, s := range alt {
				req.alts[j] = append(req.alts[j], u.index[s])
			}
		}
		p.reqs = append(p.reqs, req)
	}
	return p
}

// solve returns the optimal set to add, or the caller's index of a
// requirement that cannot be met. With privilege false it skips the second
// criterion and compares sets by size, then by name.
func (p *problem) solve(privilege bool) (bitset, int) {
	open, options := p.open()
	for i, o := range options {
		if o.empty() {
			return nil, open[i].index
		}
	}
	chosen := p.u.newSet()
	for _, group := range p.components(open, options, privilege) {
		s := newSearch(p, group, privilege)
		s.visit(0)
		chosen.or(s.best)
	}
	return chosen, -1
}

// open returns the requirements that base does not meet, with the scopes
// that could advance each of them.
func (p *problem) open() ([]requirement, []bitset) {
	var open []requirement
	var options []bitset
	scratch := p.u.newSet()
	for _, r := range p.reqs {
		if met(r, p.base) {
			continue
		}
		o := p.u.newSet()
		optionsOf(p.u, r, p.base, p.banned, o, scratch)
		open, options = append(open, r), append(options, o)
	}
	return open, options
}

// components splits the open requirements into groups that share no
// candidate scope, and with privilege also no granted scope outside base, so
// each group is solved on its own. Sizes and granted counts then add up
// across groups, and the name order of the union follows from the groups'
// name orders because the groups' candidate sets are disjoint.
func (p *problem) components(
	open []requirement, options []bitset, privilege bool,
) [][]requirement {
	parent := make([]int, len(p.u.names))
	for i := range parent {
		parent[i] = i
	}
	candidates := p.u.newSet()
	for _, o := range options {
		joinAll(parent, o)
		candidates.or(o)
	}
	if privilege {
		joinSharedGrants(p.u, parent, candidates, p.base)
	}
	return groupBy(parent, open, options)
}

// groupBy groups the requirements by the joined set their options fall in,
// keeping their order.
func groupBy(parent []int, open []requirement, options []bitset) [][]requirement {
	var groups [][]requirement
	group := map[int]int{}
	for i, r := range open {
		root := find(parent, options[i].first())
		g, ok := group[root]
		if !ok {
			g = len(groups)
			group[root] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], r)
	}
	return groups
}

// joinSharedGrants joins the candidates that grant a common scope outside
// base.
func joinSharedGrants(u *universe, parent []int, candidates, base bitset) {
	granted := u.newSet()
	for s := range candidates.members() {
		granted.or(u.closure[s])
	}
	shared := u.newSet()
	for g := range granted.members() {
		if !base.has(g) {
			copy(shared, u.coverers[g])
			shared.and(candidates)
			joinAll(parent, shared)
		}
	}
}

func joinAll(parent []int, b bitset) {
	first := -1
	for s := range b.members() {
		if first < 0 {
			first = s
			continue
		}
		parent[find(parent, s)] = find(parent, first)
	}
}

func find(parent []int, i int) int {
	for parent[i] != i {
		parent[i] = parent[parent[i]]
		i = parent[i]
	}
	return i
}

// met reports whether have holds every scope of some alternative of r.
func met(r requirement, have bitset) bool {
	for _, alt := range r.alts {
		if have.hasAll(alt) {
			return true
		}
	}
	return false
}

// optionsOf sets out to the unbanned scopes that grant a scope of r missing
// from have, counting only alternatives whose every missing scope still has
// such a granter. Any set that meets r on top of have holds one of them.
func optionsOf(u *universe, r requirement, have, banned, out, scratch bitset) {
	out.zero()
	for _, alt := range r.alts {
		scratch.zero()
		reachable := true
		for _, s := range alt {
			if !have.has(s) && !scratch.orAndNot(u.coverers[s], banned) {
				reachable = false
				break
			}
		}
		if reachable {
			out.or(scratch)
		}
	}
}

// search is a depth-first branch and bound over one group of requirements.
// Each node adds one scope that advances the open requirement with the
// fewest options; once a branch is explored its scope is banned in the later
// sibling branches, so no set is visited twice.
type search struct {
	u         *universe
	reqs      []requirement
	privilege bool
	banned    bitset
	picked    []int
	frames    []*frame
	scratch   bitset

	found     bool
	best      bitset
	bestSize  int
	bestGrant int
}

// frame holds one depth's working sets, kept between visits to save
// allocations.
type frame struct {
	have    bitset   // closure of base and the picked scopes
	options []bitset // per requirement, valid for those in open
	counts  []int
	open    []int // open requirements, fewest options first
	packed  bitset
	branch  []branch
}

// branch is a scope to add, with how it ranks against its siblings.
type branch struct {
	scope    int
	advances int // open requirements the scope is an option of
	grows    int // scopes it grants beyond have
}

func newSearch(p *problem, reqs []requirement, privilege bool) *search {
	s := &search{
		u: p.u, reqs: reqs, privilege: privilege,
		banned: slices.Clone(p.banned), scratch: p.u.newSet(), best: p.u.newSet(),
	}
	copy(s.frame(0).have, p.base)
	return s
}

func (s *search) frame(depth int) *frame {
	for len(s.frames) <= depth {
		f := &frame{have: s.u.newSet(), packed: s.u.newSet()}
		f.options = make([]bitset, len(s.reqs))
		for i := range f.options {
			f.options[i] = s.u.newSet()
		}
		f.counts = make([]int, len(s.reqs))
		s.frames = append(s.frames, f)
	}
	return s.frames[depth]
}

func (s *search) visit(depth int) {
	f := s.frame(depth)
	if !s.collectOpen(f) {
		return
	}
	if len(f.open) == 0 {
		s.record(f.have)
		return
	}
	more := s.lowerBound(f)
	grant := f.have.count()
	if s.pruned(len(s.picked)+more, grant+more) {
		return
	}

	s.rankBranches(f)
	next := s.frame(depth + 1)
	for _, b := range f.branch {
		if s.pruned(len(s.picked)+more, grant+more) {
			break
		}
		copy(next.have, f.have)
		next.have.or(s.u.closure[b.scope])
		s.picked = append(s.picked, b.scope)
		s.visit(depth + 1)
		s.picked = s.picked[:len(s.picked)-1]
		s.banned.set(b.scope)
	}
	for _, b := range f.branch {
		s.banned.clear(b.scope)
	}
}

// collectOpen fills f.open and the options of each open requirement,
// reporting false when one of them can no longer be met.
func (s *search) collectOpen(f *frame) bool {
	f.open = f.open[:0]
	for i, r := range s.reqs {
		if met(r, f.have) {
			continue
		}
		optionsOf(s.u, r, f.have, s.banned, f.options[i], s.scratch)
		f.counts[i] = f.options[i].count()
		if f.counts[i] == 0 {
			return false
		}
		f.open = append(f.open, i)
	}
	// Insertion sort: few requirements, and stability keeps the order fixed.
	for i := 1; i < len(f.open); i++ {
		for j := i; j > 0 && f.counts[f.open[j]] < f.counts[f.open[j-1]]; j-- {
			f.open[j], f.open[j-1] = f.open[j-1], f.open[j]
		}
	}
	return true
}

// lowerBound counts open requirements with pairwise disjoint options, taken
// greedily fewest options first: each needs a scope of its own.
func (s *search) lowerBound(f *frame) int {
	f.packed.zero()
	n := 0
	for _, i := range f.open {
		if !f.packed.intersects(f.options[i]) {
			f.packed.or(f.options[i])
			n++
		}
	}
	return n
}

// pruned reports whether no set of at least size scopes granting at least
// grant scopes can beat the best so far. Every scope still to be added lies
// outside have in an optimal set, so it grows the grant by at least one.
func (s *search) pruned(size, grant int) bool {
	switch {
	case !s.found:
		return false
	case size != s.bestSize:
		return size > s.bestSize
	default:
		return s.privilege && grant > s.bestGrant
	}
}

// rankBranches lists the options of the most constrained open requirement,
// trying first those that advance the most requirements and grant the least.
func (s *search) rankBranches(f *frame) {
	f.branch = f.branch[:0]
	for c := range f.options[f.open[0]].members() {
		b := branch{scope: c}
		for _, i := range f.open {
			if f.options[i].has(c) {
				b.advances++
			}
		}
		b.grows = s.u.closure[c].countAndNot(f.have)
		f.branch = append(f.branch, b)
	}
	slices.SortFunc(f.branch, compareBranches)
}

func compareBranches(a, b branch) int {
	if a.advances != b.advances {
		return b.advances - a.advances
	}
	if a.grows != b.grows {
		return a.grows - b.grows
	}
	return a.scope - b.scope
}

// record keeps the picked set when it beats the best so far.
func (s *search) record(have bitset) {
	size, grant := len(s.picked), have.count()
	if s.found && s.rank(size, grant) > 0 {
		return
	}
	s.scratch.zero()
	for _, c := range s.picked {
		s.scratch.set(c)
	}
	if s.found && s.rank(size, grant) == 0 && !s.scratch.precedes(s.best) {
		return
	}
	s.found, s.bestSize, s.bestGrant = true, size, grant
	copy(s.best, s.scratch)
}

// rank compares a candidate's size and grant with the best's, ignoring the
// grant without privilege.
func (s *search) rank(size, grant int) int {
	if size != s.bestSize {
		return size - s.bestSize
	}
	if !s.privilege {
		return 0
	}
	return grant - s.bestGrant
}

// bitset is a set of scope indices.
type bitset []uint64

func (b bitset) has(i int) bool { return b[i/64]&(1<<(i%64)) != 0 }
func (b bitset) set(i int)      { b[i/64] |= 1 << (i % 64) }
func (b bitset) clear(i int)    { b[i/64] &^= 1 << (i % 64) }

func (b bitset) zero() { clear(b) }

func (b bitset) hasAll(scopes []int) bool {
	for _, s := range scopes {
		if !b.has(s) {
			return false
		}
	}
	return true
}

func (b bitset) empty() bool {
	for _, w := range b {
		if w != 0 {
			return false
		}
	}
	return true
}

func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

func (b bitset) countAndNot(not bitset) int {
	n := 0
	for i, w := range b {
		n += bits.OnesCount64(w &^ not[i])
	}
	return n
}

func (b bitset) first() int {
	for i, w := range b {
		if w != 0 {
			return i*64 + bits.TrailingZeros64(w)
		}
	}
	return -1
}

func (b bitset) intersects(o bitset) bool {
	for i, w := range b {
		if w&o[i] != 0 {
			return true
		}
	}
	return false
}

func (b bitset) or(o bitset) {
	for i, w := range o {
		b[i] |= w
	}
}

func (b bitset) and(o bitset) {
	for i, w := range o {
		b[i] &= w
	}
}

// orAndNot adds o minus not to b and reports whether o minus not is
// non-empty.
func (b bitset) orAndNot(o, not bitset) bool {
	var any uint64
	for i, w := range o {
		w &^= not[i]
		b[i] |= w
		any |= w
	}
	return any != 0
}

// invert complements b over the first n indices.
func (b bitset) invert(n int) {
	for i := range b {
		b[i] = ^b[i]
	}
	if n%64 != 0 {
		b[len(b)-1] &= 1<<(n%64) - 1
	}
}

// precedes reports whether b's sorted indices compare below o's, for sets of
// equal size: the lowest index in just one of them must be in b.
func (b bitset) precedes(o bitset) bool {
	for i, w := range b {
		if d := w ^ o[i]; d != 0 {
			return w&(d&-d) != 0
		}
	}
	return false
}

// members yields the indices in b in increasing order.
func (b bitset) members() func(yield func(int) bool) {
	return func(yield func(int) bool) {
		for i, w := range b {
			for w != 0 {
				if !yield(i*64 + bits.TrailingZeros64(w)) {
					return
				}
				w &= w - 1
			}
		}
	}
}
