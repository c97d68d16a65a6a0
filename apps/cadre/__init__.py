"""The retired-cadre system (老干部): commands and benchmark."""
