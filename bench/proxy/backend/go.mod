module mesh-exp/bench/proxy/backend

go 1.22
