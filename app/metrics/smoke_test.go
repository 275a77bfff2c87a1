package metrics

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"labelqa/app/dataset"
)

func TestSmokeTmp(t *testing.T) {
	d, err := dataset.FromFiles(context.Background(), []string{"../../../shared/datasets/reference/irrcac_cac_raw4raters.csv"}, "", dataset.Options{Labels: []string{"1", "2", "3", "4", "5"}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Compute(context.Background(), d, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	e := json.NewEncoder(os.Stdout)
	e.SetIndent("", " ")
	e.Encode(r)
}
