# placeholder until the lookup pages land
