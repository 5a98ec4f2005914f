import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { takeKeyFromLocation } from './session/fragment-key'
import { applyTheme, storedTheme } from './session/theme'
import './styles/index.css'

// Taken before the first render, so the key leaves the address bar at once and a re-run effect
// cannot read it twice.
const initialKey = takeKeyFromLocation(window)
// Before the first paint, so a forced theme never flashes the other one.
applyTheme(storedTheme(window.localStorage), document.documentElement)

const container = document.getElementById('root')
if (container === null) throw new Error('index.html must have an element with id "root"')

createRoot(container).render(
  <StrictMode>
    <App initialKey={initialKey} />
  </StrictMode>,
)
