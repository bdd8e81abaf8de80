module mesh-exp/bench/load/server

go 1.22
