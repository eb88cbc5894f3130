package kafkatest_test

import (
	"slices"
	"strings"
)

func slicesSortByKey(s []kv) {
	slices.SortFunc(s, func(a, b kv) int { return strings.Compare(a.Key, b.Key) })
}
