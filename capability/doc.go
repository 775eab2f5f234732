// Package capability is the runtime that capgen's generated clients use. It
// turns the scopes a connection was granted into handles, and sends each API
// call through the handle of the capability the call needs.
//
// A product thinks in capabilities, such as contact.read; a provider thinks
// in scopes, such as crm.objects.contacts.read. Generated code describes one
// provider as a ProviderSpec and indexes it once with NewProvider. After
// authorization, a Grant records what the connection really got, with the
// provider's implications expanded:
//
//	tokens := capability.NewRefreshingSource(ctx, conf, tok, capability.WithTokenHook(save))
//	client := capability.NewClient(hubspot.Provider(), tokens)
//	grant, err := capability.ReadGrant(ctx, hubspot.Provider(), tok,
//		capability.GrantOptions{Requested: requested, Client: client})
//	contacts, err := grant.Handle(client, "contact.read")
//
// ReadGrant tries the provider's sources of granted scopes in order: a token
// response field, a JWT claim, an introspection endpoint, or the scope
// header of API responses, which the client records on every call
// (Client.ObservedScopes, Grant.Update). Grant.Probe calls each
// capability's probe operation, for when holding the scopes is not proof
// enough.
//
// A RefreshingSource refreshes the token when it expires, and when the
// provider says it expired before its time; concurrent calls share one
// refresh, each new token is handed to the hook before it is used, and the
// call that met the expired token is sent once more.
//
// Grant.Handle fails early, with a *Error of status 403 naming the missing
// scopes, when the grant does not satisfy the capability. Generated methods
// hang off typed wrappers of a Handle, so code that holds no handle for a
// capability cannot call its operations.
//
// Every failure is a *Error, and every provider's way of saying the same
// thing reads the same: an expired or revoked token is status 401, a missing
// scope or a refusal 403, a rate limit 429, whatever HTTP status the provider
// used (Slack, for one, answers 200 with "ok": false). Use errors.Is with
// ErrUnauthorized, ErrForbidden, ErrRateLimited and ErrNoHandle, or
// errors.As for the details:
//
//	var e *capability.Error
//	if errors.As(err, &e) && e.Status == 403 {
//		askAgainFor(e.Missing)
//	}
//
// Errors and logs never hold a token: messages are built from the provider's
// own text, cleaned of the tokens the client used, and never from request
// headers. The runtime logs nothing unless given a *slog.Logger with
// WithLogger.
package capability
