module pion-receivers

go 1.19
