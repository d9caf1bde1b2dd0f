"""SWStation (甬社工): a city's network of township social work stations."""
