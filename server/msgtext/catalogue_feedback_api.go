package msgtext

// feedbackAPIEntries are the messages of the feedback reports' API and pages.
var feedbackAPIEntries = []Entry{}
