// StudyStore module.
