import type { CoursesRepository } from '../db/repositories/courses.repository.ts';
import type { ModulesRepository } from '../db/repositories/modules.repository.ts';
import type { CourseRow } from '../db/schema.ts';
import { courseErrors } from './courses.errors.ts';

export type CoursesService = ReturnType<typeof createCoursesService>;

/** Reads of the cached course tree; writes come from the sync service. */
export function createCoursesService(deps: { courses: CoursesRepository; modules: ModulesRepository }) {
  const get = (id: number): CourseRow => {
    const course = deps.courses.get(id);
    if (!course)
      throw courseErrors.courseNotFound({
        message: `No course ${id} in the cache. Refresh your courses first.`,
      });
    return course;
  };

  return {
    list: () => deps.courses.list(),
    get,
    modules(courseId: number) {
      get(courseId);
      return deps.modules.listByCourse(courseId);
    },
    getModule(id: number) {
      const module = deps.modules.get(id);
      if (!module)
        throw courseErrors.moduleNotFound({
          message: `No module ${id} in the cache. Refresh its course first.`,
        });
      return module;
    },
  };
}
