package msgtext

import "slices"

// catalogue holds every error message the server sends, by code: the
// English template (as written where the error is made, which is its key)
// and the Vietnamese text with the same parameters. Each part of the
// server keeps its entries in its own file.
var catalogue = slices.Concat(queueEntries, feedbackEntries, geoEntries, planningGeoEntries, planningPlanEntries, photoEntries, open311Entries, feedbackAPIEntries, stationEntries, printEntries, dossierAPIEntries, dossierIntegEntries, dossierEntries, notifyEntries, planningAPIEntries, provinceEntries, planningImportEntries, clusterEntries)
