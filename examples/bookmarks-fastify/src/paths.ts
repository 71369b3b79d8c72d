export const API = '/api'
export const WS_IMPORT = '/ws/import'
