package trace

// Child returns a probe that reports for the component "<comp>/<name>",
// into the same recorder: a component names the parts it owns this way (a
// reflector's temporary store is "<reflector>/temporary-store"). A nil
// probe has nil children.
func (p *Probe) Child(name string) *Probe {
	if p == nil {
		return nil
	}
	return p.rec.Probe(p.comp + "/" + name)
}
