package connector

// partialSet is the stored set a long re-list writes with each of its early
// flushes: the stored ids together with every id listed so far. Written
// with the records those pages produced, it lets a restart's re-list find
// them already stored and leave them out, while the final diff (stored
// minus listed) still finds exactly the ids gone, since none is dropped
// before the listing ends (DESIGN §5, Kafka store).
type partialSet struct {
	ids   idList    // the set as last written
	fresh idBuilder // ids new to the stored set listed since
}

// add records id, new to the stored set, as listed.
func (p *partialSet) add(id string) { p.fresh.add(id) }

// merged returns the set with every id added so far.
func (p *partialSet) merged() idList {
	if p.fresh.Len() > 0 {
		p.ids = mergeLists(p.ids, p.fresh.list())
	}
	return p.ids
}
