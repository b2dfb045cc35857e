package assets

import (
	"embed"
	"io/fs"
	"path"
	"slices"
	"strings"
)

//go:embed scenarios/*.txt
var scenarioFiles embed.FS

// ScenarioNames lists the scenario library by name (file name without
// .txt), sorted.
func ScenarioNames() []string {
	entries, _ := fs.ReadDir(scenarioFiles, "scenarios")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".txt"))
	}
	slices.Sort(names)
	return names
}

// Scenario returns the text of the named scenario, and whether it exists.
func Scenario(name string) (string, bool) {
	b, err := scenarioFiles.ReadFile(path.Join("scenarios", name+".txt"))
	return string(b), err == nil
}
