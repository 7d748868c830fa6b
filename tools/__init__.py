"""Agent tools: one typed async function per module, all registered in ``tools.registry``."""
