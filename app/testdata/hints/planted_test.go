package hints

import "fmt"

// Test files may name flags: their strings are inputs and expectations.
var _ = fmt.Errorf("run with --add-labels")
