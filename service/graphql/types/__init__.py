"""The GraphQL object types, one module per family: places, indicators, observations and series,
reports with their revisions and previews, case studies, and the shared Node and Connection."""
