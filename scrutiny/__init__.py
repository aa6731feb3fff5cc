"""Scrutiny: scrape, archive, parse and warehouse police governance meetings.

Importing it does nothing: the application's entry points (scrutiny.cli, flows/) set up the
process (kernel.settings.prefer_system_allocator)."""
