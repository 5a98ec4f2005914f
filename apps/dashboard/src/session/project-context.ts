import { createContext, useContext } from 'react'
import type { Project } from '../api/types'

/** The signed-in project (from the key), for the pages that show it. */
export const ProjectContext = createContext<Project | null>(null)

export function useProject(): Project | null {
  return useContext(ProjectContext)
}
