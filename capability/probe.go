package capability

import (
	"context"
	"fmt"
	"strings"
)

// ProbeOutcome is what a probe found out about one capability.
type ProbeOutcome string

// The probe outcomes.
const (
	// ProbeWorking: the provider answered the probe call with a success.
	ProbeWorking ProbeOutcome = "working"

	// ProbeMissingScopes: the grant lacks scopes for the capability or for
	// its probe operation, so nothing was sent. Missing names them.
	ProbeMissingScopes ProbeOutcome = "missing_scopes"

	// ProbeRefused: the grant holds the scopes, but the provider answered
	// 403 (a missing scope or a refusal), which points at an administrator's
	// policy, a plan without the feature or scopes revoked since the grant
	// was read. Err holds the *Error.
	ProbeRefused ProbeOutcome = "refused"

	// ProbeFailed: the call failed otherwise, for example with an expired
	// token or a network error. Err holds the *Error.
	ProbeFailed ProbeOutcome = "failed"

	// ProbeSkipped: the probe operation cannot be called without arguments.
	// Reason says why.
	ProbeSkipped ProbeOutcome = "skipped"
)

// ProbeResult is the outcome of probing one capability.
type ProbeResult struct {
	Capability string
	Operation  string // the probe operation
	Outcome    ProbeOutcome
	Missing    []string // the scopes missing, for ProbeMissingScopes
	Err        error    // the call's *Error, for ProbeRefused and ProbeFailed
	Reason     string   // why the probe was skipped
}

// Probe checks that each capability with a probe operation (OperationSpec
// Probe) works in practice, by calling that operation through c with an
// empty request. Results follow the capabilities' declaration order, one
// per capability, using its first probe operation. A grant can hold every
// scope and still be refused, for example by an administrator's policy;
// Probe finds that out before a user's action does.
//
// Probe sends real calls, one after another, so call it explicitly, after
// authorization or from a health check, never on every request. Once ctx
// is done, the remaining probes fail with its error.
func (g *Grant) Probe(ctx context.Context, c *Client) []ProbeResult {
	p := g.Provider()
	if p == nil {
		return nil
	}
	var results []ProbeResult
	for _, capSpec := range p.spec.Capabilities {
		op := p.probeOperation(capSpec.Name)
		if op == nil {
			continue
		}
		results = append(results, g.probe(ctx, c, capSpec.Name, op))
	}
	return results
}

func (p *Provider) probeOperation(capability string) *OperationSpec {
	for i := range p.spec.Operations {
		if op := &p.spec.Operations[i]; op.Probe && op.Capability == capability {
			return op
		}
	}
	return nil
}

func (g *Grant) probe(ctx context.Context, c *Client, capability string,
	op *OperationSpec) ProbeResult {
	result := ProbeResult{Capability: capability, Operation: op.Name}
	if strings.Contains(op.Path, "{") {
		result.Outcome = ProbeSkipped
		result.Reason = fmt.Sprintf("operation %s needs path parameters (%s); "+
			"mark an operation without them as the probe", op.Name, op.Path)
		return result
	}
	h, err := g.Handle(c, capability)
	if err == nil {
		_, err = h.authorize(op.Name)
	}
	if e, ok := err.(*Error); ok && e.Kind == KindMissingScope {
		result.Outcome, result.Missing = ProbeMissingScopes, e.Missing
		return result
	}
	if err == nil {
		err = h.Call(ctx, op.Name, Request{}, nil)
	}
	result.Outcome, result.Err = probeOutcome(err), err
	return result
}

func probeOutcome(err error) ProbeOutcome {
	switch e, _ := err.(*Error); {
	case err == nil:
		return ProbeWorking
	case e != nil && e.Status == 403:
		return ProbeRefused
	}
	return ProbeFailed
}
