print("leadsync")
