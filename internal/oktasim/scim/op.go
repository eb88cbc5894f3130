package scim

import "strings"

// op is a set of attribute operators, one bit each, so a dialect can list
// what an attribute allows in one value.
type op uint16

const (
	opEq op = 1 << iota
	opNe
	opCo
	opSw
	opEw
	opPr
	opGt
	opGe
	opLt
	opLe
)

// Operator sets the dialect tables are built from.
const (
	opsOrder = opGt | opGe | opLt | opLe
	opsAll   = opEq | opNe | opCo | opSw | opEw | opPr | opsOrder
)

var opNames = map[string]op{
	"eq": opEq, "ne": opNe, "co": opCo, "sw": opSw, "ew": opEw,
	"pr": opPr, "gt": opGt, "ge": opGe, "lt": opLt, "le": opLe,
}

// parseOp returns the operator a word names; fold accepts any case.
func parseOp(word string, fold bool) (op, bool) {
	if fold {
		word = strings.ToLower(word)
	}
	o, ok := opNames[word]
	return o, ok
}

// String returns the operator's keyword.
func (o op) String() string {
	for name, v := range opNames {
		if v == o {
			return name
		}
	}
	return "op(?)"
}
