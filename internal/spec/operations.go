package spec

import (
	"cmp"
	"slices"
	"strings"

	"github.com/capgen/capgen/internal/gonames"
	"github.com/capgen/capgen/internal/model"
)

var methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}

func (c *checker) resolveOperations(p *model.Provider) []model.Operation {
	var out []model.Operation
	for _, e := range c.f.Operations.Entries {
		out = append(out, c.resolveOperation(p, e.Key, e.Value))
	}
	slices.SortFunc(out, func(a, b model.Operation) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

func (c *checker) resolveOperation(p *model.Provider, name String, o operationSyntax) model.Operation {
	if !gonames.IsExported(name.Value) {
		c.errorf(name.Pos, "operation name %q must be an exported Go identifier such as ListContacts",
			name.Value)
	}
	op := model.Operation{
		Name:       name.Value,
		Summary:    strings.TrimSpace(o.Summary.Value),
		Method:     c.oneOf(o.Method, "method", "", methods...),
		Path:       o.Path.Value,
		Capability: o.Capability.Value,
		Probe:      o.Probe.Value,
		Request:    c.typeRef(o.Request),
		Response:   c.typeRef(o.Response),
	}
	if op.Request != nil && (op.Method == "GET" || op.Method == "DELETE") {
		c.errorf(o.Request.Pos, "operation %s: a %s request has no body", name.Value, op.Method)
	}
	op.Params = c.resolveParams(name.Value, o)
	op.Requirement = c.operationRequirement(p, name.Value, o)
	if op.Probe {
		c.checkProbe(op, o)
	}
	return op
}

// checkProbe reports a probe the runtime cannot call by itself: a probe is
// sent with no parameters and no body, to prove a capability works.
func (c *checker) checkProbe(op model.Operation, o operationSyntax) {
	var needed []string
	for _, p := range op.Params {
		if p.Required {
			needed = append(needed, p.Name)
		}
	}
	if len(needed) > 0 || op.Request != nil {
		c.errorf(o.Probe.Pos, "operation %s: a probe is called with no parameters and no body, but it "+
			"needs %s (mark a call without them as the probe)",
			op.Name, probeNeeds(needed, op.Request != nil))
	}
}

func probeNeeds(params []string, body bool) string {
	var parts []string
	if len(params) > 0 {
		parts = append(parts, "parameters "+strings.Join(params, ", "))
	}
	if body {
		parts = append(parts, "a request body")
	}
	return strings.Join(parts, " and ")
}

// operationRequirement returns what the provider accepts for the call and
// checks that the capability's handle is enough to make it.
func (c *checker) operationRequirement(p *model.Provider, name string, o operationSyntax) model.Requirement {
	capability, ok := p.Capability(o.Capability.Value)
	if !ok {
		if _, known := c.vocab.byName[o.Capability.Value]; known {
			c.errorf(o.Capability.Pos, "operation %s: capability %s has no requirement in this provider "+
				"(declare it under capabilities)", name, o.Capability.Value)
		} else if o.Capability.Set() {
			c.errorf(o.Capability.Pos, "operation %s: capability %q is not in the vocabulary%s",
				name, o.Capability.Value, didYouMean(o.Capability.Value, c.vocab.names))
		}
		return nil
	}
	if o.Accepts == nil {
		return capability.Requirement
	}
	accepts := c.resolveRequirement(o.Accepts, o.At, "accepts of operation "+name)
	for _, alt := range c.imp.Entails(capability.Requirement, accepts) {
		c.errorf(o.At, "operation %s: capability %s can be met by [%s], which this operation does not "+
			"accept (widen accepts or narrow the capability)", name, capability.Name, strings.Join(alt, " "))
	}
	return accepts
}

var paramTypes = []string{"string", "integer", "number", "boolean", "[]string"}

func (c *checker) resolveParams(op string, o operationSyntax) []model.OperationParam {
	inPath := map[string]bool{}
	for _, m := range placeholder.FindAllString(o.Path.Value, -1) {
		inPath[strings.Trim(m, "{}")] = true
	}
	if o.Path.Set() && !strings.HasPrefix(o.Path.Value, "/") {
		c.errorf(o.Path.Pos, "operation %s: path %q must start with /", op, o.Path.Value)
	}
	var out []model.OperationParam
	declared := map[string]bool{}
	for _, e := range o.Params.Entries {
		in := c.oneOf(e.Value.In, "in", "", "path", "query")
		declared[e.Key.Value] = in == "path"
		if in == "path" && !inPath[e.Key.Value] {
			c.errorf(e.Key.Pos, "operation %s: path parameter %s does not appear in path %s",
				op, e.Key.Value, o.Path.Value)
		}
		typ := c.oneOf(e.Value.Type, "type", "string", paramTypes...)
		out = append(out, model.OperationParam{
			Name:        e.Key.Value,
			In:          in,
			Type:        *parseTypeExpr(typ),
			Required:    in == "path" || e.Value.Required.Value,
			Description: strings.TrimSpace(e.Value.Description.Value),
		})
	}
	for name := range inPath {
		if !declared[name] {
			c.errorf(o.Path.Pos, "operation %s: path names {%s}, which is not declared under params "+
				"with in: path", op, name)
		}
	}
	return out
}
