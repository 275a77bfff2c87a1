module a.labelqa/localeenv

go 1.26.8
