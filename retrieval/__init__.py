"""Loading, chunking, embedding, indexing and searching the council's documents."""
