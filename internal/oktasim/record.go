package oktasim

import "time"

// txn writes the events of one admin call. They share the transaction and
// request ids and the request path, which is how the System Log ties the
// events of one request together (API.md §8.5, correlation keys).
type txn struct {
	o                   *Org
	id, requestID, path string
}

// begin starts the events of one admin call; callers hold o.mu.
func (o *Org) begin() *txn {
	return &txn{o: o, id: randomText(27), requestID: randomText(27)}
}

// record appends one event of the call. The first event's first target
// names the request path; later events keep it, as they come from the
// same request.
func (t *txn) record(typ string, targets ...ref) {
	o := t.o
	e := o.apiEvent(typeByName(typ), o.now())
	e.txID, e.requestID = t.id, t.requestID
	e.targets = targets
	if t.path == "" && len(targets) > 0 {
		t.path = "/api/v1/" + pathOf(targets[0])
	}
	e.path = t.path
	o.log.append(e, o.now())
}

// record appends the only event of an admin call; callers hold o.mu.
func (o *Org) record(typ string, targets ...ref) { o.begin().record(typ, targets...) }

func pathOf(r ref) string {
	switch r.typ {
	case "UserGroup":
		return "groups/" + r.id
	case "AppInstance":
		return "apps/" + r.id
	}
	return "users/" + r.id
}

// apiEvent is an event caused by an API token: the admin acts, from the
// integration's client, with the token id in the transaction
// (samples/logs-page.json event 6).
func (o *Org) apiEvent(t *eventType, published time.Time) *event {
	return &event{typ: t, published: published, uuid: uuidText(),
		actor: userRef(o.adminU), client: 2, txID: randomText(27),
		requestID: randomText(27), tokenID: "00T" + o.info.id[3:]}
}
