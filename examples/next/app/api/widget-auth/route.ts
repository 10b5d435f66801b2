// #region route
import { widgetAuth } from '../../../lib/widget-auth';

export const POST = widgetAuth;
// #endregion route
