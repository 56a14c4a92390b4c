# placeholder until the credentials pages land
