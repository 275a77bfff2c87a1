package metrics

import (
	"testing"

	"labelqa/internal/refdata"
)

// TestReferenceCopies: testdata/reference holds exactly the files its
// README lists, unedited (see labelqa/internal/refdata).
func TestReferenceCopies(t *testing.T) { refdata.CheckCopies(t, refDir) }
